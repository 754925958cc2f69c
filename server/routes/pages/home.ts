import type { Context, Hono } from "hono";
import { countLocalUsers } from "../../domain/accounts/accounts.ts";
import { instanceNames } from "../../domain/instance/instance-names.ts";
import { searchAccounts } from "../../domain/accounts/account-search.ts";
import { HomePage } from "../../../web/components/home.ts";
import { SearchPage } from "../../../web/components/search.ts";
import { t } from "../../../web/i18n/index.ts";
import { resolveActorByIri, resolveHandle } from "../../../federation/remote-actors.ts";
import type { Account } from "../../domain/accounts/accounts.ts";
import type { RouteDeps } from "../deps.ts";
import { page } from "./render.ts";
import { timelinePage } from "./timeline.ts";
import { chromeOf, toSignIn } from "./session.ts";
import { localHost, summary } from "./views.ts";

export function registerHomePages(app: Hono, deps: RouteDeps): void {
  // The instance's presentation: its name, people count and siblings. The front page for visitors; /about for everyone
  // (what Mastodon apps link to as the instance's about page, configuration.urls.about).
  async function aboutPage(c: Context) {
    const users = await countLocalUsers(deps.sql);
    const origins = deps.data.siblings.list();
    const names = await instanceNames(deps.sql, origins);
    const siblings = origins.map((origin) => ({ origin, name: names.get(origin) ?? null }));
    return page(c, HomePage, {
      ...chromeOf(c, deps),
      instance: { name: deps.config.instanceName, origin: deps.config.origin, userCount: users.active, siblings },
    });
  }

  app.get("/", async (c) => {
    // Signed in, the front page is the home timeline with the composer (issue #4).
    if (c.get("page").user) return await timelinePage(c, deps, "home");
    return await aboutPage(c);
  });

  app.get("/about", aboutPage);

  app.get("/search", async (c) => {
    const base = chromeOf(c, deps);
    const q = (c.req.query("q") ?? "").trim().slice(0, 300);
    if (!c.get("page").user) return toSignIn(c);
    let results: Account[] = [];
    let error: string | undefined;
    if (/^@?[^@\s]+@[^@\s]+$/.test(q) && !q.endsWith(`@${localHost(deps)}`)) {
      const found = await resolveHandle(deps.context(), q);
      if (found) results = [found];
      else error = t(base.locale, "page.error.remoteNotFound");
    } else if (/^https?:\/\//.test(q)) {
      const found = await resolveActorByIri(deps.context(), q, { maxAgeMs: 0 });
      if (found) results = [found];
      else error = t(base.locale, "page.error.remoteNotFound");
    } else if (q) {
      results = await searchAccounts(deps.sql, q.replace(/@[^@]*$/, "").replace(/^@/, "") || q, { localHost: localHost(deps), limit: 40, offset: 0, viewerId: c.get("page").user!.account.id });
    }
    return page(c, SearchPage, { ...base, q, results: results.map((a) => summary(deps, a)), error });
  });
}
