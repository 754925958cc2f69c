// Profile pages (/@alice, /@bob@lyon.example), their follower lists, and follow/unfollow forms.
import type { Context, Hono } from "hono";
import { type Account, findAccountByHandle } from "../../domain/accounts/accounts.ts";
import { follow, followCounts, listFollowers, listFollowing, relationships, unfollow } from "../../domain/follows/follows.ts";
import { DomainError } from "../../domain/errors.ts";
import { AccountListPage } from "../../../web/components/account-list.ts";
import { h } from "preact";
import { ProfilePage } from "../../../web/components/profile.ts";
import { AvailabilityNote } from "../../../web/components/availability.ts";
import { availabilityOf } from "../../domain/quiet/availability.ts";
import { isolate } from "../../../web/components/names.ts";
import { t } from "../../../web/i18n/index.ts";
import { resolveHandle } from "../../../federation/remote-actors.ts";
import type { RouteDeps } from "../deps.ts";
import { orgChart } from "../../domain/profiles/directory.ts";
import { getProfile } from "../../domain/profiles/profiles.ts";
import { profileAudienceOf, visibleProfile } from "../../domain/profiles/profile-visibility.ts";
import { orgPerson, profileDetails } from "./profile-views.ts";
import { errorPage, page } from "./render.ts";
import { accountPostsSlot } from "./account-posts.ts";
import { checkCsrf, chromeOf, safeNext, toSignIn } from "./session.ts";
import { viewerOf } from "./timeline.ts";
import { localHost, pagePath, profileAccount, summary } from "./views.ts";

/** `@alice` or `@bob@lyon.example:8443` → the account, fetching unknown remote ones from allowed origins. */
async function accountFromParam(c: Context, deps: RouteDeps, param: string): Promise<Account | null> {
  const m = /^@([^@/]+)(?:@([^@/]+))?$/.exec(decodeURIComponent(param));
  if (!m) return null;
  const [, username, host] = m;
  if (!host || host.toLowerCase() === localHost(deps).toLowerCase()) return await findAccountByHandle(deps.sql, username, null);
  const known = await findAccountByHandle(deps.sql, username, host);
  if (known) return known;
  // Only signed-in employees make this instance fetch remote profiles.
  if (!c.get("page").user) return null;
  return await resolveHandle(deps.context(), `@${username}@${host}`);
}

export function registerProfilePages(app: Hono, deps: RouteDeps): void {
  const handle = "/:handle{@[^/]+}";

  app.get(handle, async (c) => {
    const account = await accountFromParam(c, deps, c.req.param("handle"));
    if (!account) return errorPage(c, deps, 404, "page.error.accountNotFound");
    const viewer = c.get("page").user;
    const counts = await followCounts(deps.sql, account.id);
    let relationship = null;
    if (viewer) {
      const [r] = viewer.account.id === account.id ? [] : await relationships(deps.sql, viewer.account.id, [account.id]);
      relationship = {
        self: viewer.account.id === account.id, following: r?.following ?? false, requested: r?.requested ?? false,
        followedBy: r?.followedBy ?? false, blocking: r?.blocking ?? false, blockedBy: r?.blockedBy ?? false,
      };
    }
    const path = pagePath(deps, account);
    // Issue #3: contact card, expertise, career and org chart; employees see internal fields, visitors public ones,
    // the bio included (issue #8 points 1 and 26).
    const audience = profileAudienceOf(viewerOf(c).viewer);
    const [stored, chart] = await Promise.all([getProfile(deps.sql, account.id), orgChart(deps.sql, account.id, audience)]);
    const visible = visibleProfile(account, stored, audience);
    return page(c, ProfilePage, {
      ...chromeOf(c, deps),
      account: profileAccount(deps, account, counts, visible.bioHtml),
      details: profileDetails(deps, account, stored, visible),
      managers: viewer ? chart.chain.map((e) => orgPerson(deps, e, audience)) : [],
      reports: viewer ? chart.reports.map((e) => orgPerson(deps, e, audience)) : [],
      relationship,
      followAction: `${path}/follow`,
      unfollowAction: `${path}/unfollow`,
      posts: await accountPostsSlot(c, deps, account),
      // Colleagues only (working hours are internal), in the reader's language and time zone.
      availability: viewer ? h(AvailabilityNote, {
        locale: c.get("page").locale, availability: await availabilityOf(deps.sql, account.id, deps.clock.now()),
        now: new Date(deps.clock.now()), timeZone: c.get("page").timeZone ?? "UTC",
      }) : null,
    });
  });

  for (const which of ["followers", "following"] as const) {
    app.get(`${handle}/${which}`, async (c) => {
      // The social graph is for employees, as in the API and the ActivityPub collections (issue #8, point 28).
      if (!c.get("page").user) return toSignIn(c);
      const account = await accountFromParam(c, deps, c.req.param("handle"));
      if (!account) return errorPage(c, deps, 404, "page.error.accountNotFound");
      const list = which === "followers" ? await listFollowers(deps.sql, account.id, { limit: 80 }) : await listFollowing(deps.sql, account.id, { limit: 80 });
      const base = chromeOf(c, deps);
      const name = isolate(account.displayName || account.username);
      return page(c, AccountListPage, {
        ...base,
        title: t(base.locale, which === "followers" ? "accounts.followersOf" : "accounts.followedBy", { name }),
        accounts: list.items.map((a) => summary(deps, a)),
      });
    });
  }

  for (const action of ["follow", "unfollow"] as const) {
    app.post(`${handle}/${action}`, async (c) => {
      const viewer = c.get("page").user;
      if (!viewer) return toSignIn(c, new URL(c.req.url).pathname.replace(/\/(un)?follow$/, ""));
      const form = await c.req.parseBody();
      if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
      const account = await accountFromParam(c, deps, c.req.param("handle"));
      if (!account) return errorPage(c, deps, 404, "page.error.accountNotFound");
      try {
        if (action === "follow") await follow(deps.sql, deps.config.origin, viewer.account.id, account.id);
        else await unfollow(deps.sql, viewer.account.id, account.id);
      } catch (e) {
        if (e instanceof DomainError) return errorPage(c, deps, e.status, "page.error.generic");
        throw e;
      }
      // A follow button elsewhere (the onboarding on the home page) says where to come back to.
      return c.redirect(typeof form.next === "string" ? safeNext(form.next) : pagePath(deps, account), 303);
    });
  }

  // A browser opening an actor URL gets the profile page (AP clients got JSON from Fedify already).
  app.get("/users/:username", (c) => c.redirect(`/@${c.req.param("username")}`, 302));
}
