// Settings › Authorised applications (issue #9 point 1): list and revoke, for the signed-in person only.
import type { Hono } from "hono";
import { listAuthorizedApps, revokeAuthorizedApp } from "../../domain/accounts/oauth.ts";
import { DomainError } from "../../domain/errors.ts";
import { AuthorizedAppsPage } from "../../../web/components/authorized-apps.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, toSignIn } from "./session.ts";

export function registerApplicationPages(app: Hono, deps: RouteDeps): void {
  const list = async (accountId: string) => (await listAuthorizedApps(deps.sql, accountId))
    .map((a) => ({ ...a, name: a.key === "cli" ? null : a.name }));

  app.get("/settings/applications", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c);
    c.header("Cache-Control", "private, no-store");
    const revoked = c.req.query("revoked");
    return page(c, AuthorizedAppsPage, { ...chromeOf(c, deps), apps: await list(user.account.id), revoked: revoked?.slice(0, 100) });
  });

  app.post("/settings/applications/:key/revoke", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/applications");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const key = c.req.param("key");
    const name = (await list(user.account.id)).find((a) => a.key === key)?.name ?? "";
    try {
      await revokeAuthorizedApp(deps.sql, user.account.id, key);
    } catch (e) {
      if (e instanceof DomainError && e.status === 404) return errorPage(c, deps, 404, "page.error.notFound");
      throw e;
    }
    return c.redirect(`/settings/applications?revoked=${encodeURIComponent(name)}`, 303);
  });
}
