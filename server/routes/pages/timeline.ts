// Timeline pages: home (people and hashtags followed, with the composer; also `/` when signed in), this
// company's (`/local`) and the group's (`/group`: this instance and its siblings). Each has a `/more` twin that
// answers the next page as an HTML fragment for the infinite-scroll island; the full page with `?max_id=` is the
// same list for browsers without JavaScript. Visibility is the domain's: every timeline function takes the viewer.
import { randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import { h } from "preact";
import { POST_LIMITS } from "../../domain/posts/posts.ts";
import { groupTimeline, homeTimeline, localTimeline, type PageOpts, type TimelinePage as DomainPage } from "../../domain/timelines/timelines.ts";
import { ANONYMOUS, localViewer, type Viewer, type Visibility } from "../../domain/audience/visibility.ts";
import type { FilterContext } from "../../domain/timelines/mutes.ts";
import { PostListFragment, TimelinePage, type More, type TimelineKind } from "../../../web/components/timeline.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { onboardingFor } from "./onboarding.ts";
import { postItems } from "./post-items.ts";
import { fragmentHtml, page } from "./render.ts";
import { chromeOf, toSignIn } from "./session.ts";

export const PAGE_SIZE = 20;
const ID = /^\d{1,18}$/;

/** `?max_id=` when it is an id, else undefined (no error page for a mangled cursor: the first page is shown). */
export function cursor(c: Context): PageOpts {
  const maxId = c.req.query("max_id");
  return { limit: PAGE_SIZE, maxId: maxId && ID.test(maxId) ? maxId : undefined };
}

/** Links to the page after `page`: `${base}?max_id=…` and its fragment `${base}/more?max_id=…`. */
export function moreOf(base: string, next: string | null): More {
  if (!next) return null;
  const q = `?max_id=${encodeURIComponent(next)}`;
  return { href: `${base}${q}`, fragment: `${base}/more${q}` };
}

export function viewerOf(c: Context): { viewer: Viewer; viewerId: string | null } {
  const user = c.get("page").user;
  return user ? { viewer: localViewer(user.account.id), viewerId: user.account.id } : { viewer: ANONYMOUS, viewerId: null };
}

/** A random key per rendered composer: submitting the same form twice (double click, reload) posts once. */
/** Where a new post's scope and language start: the person's posting defaults, else internal and the page language. */
export function composerDefaults(c: Context): { visibility: Visibility; language: string } {
  const { user, locale } = c.get("page");
  return { visibility: user?.defaultVisibility ?? "internal", language: user?.defaultLanguage ?? locale };
}

export function idempotencyKey(): string {
  return randomBytes(12).toString("base64url");
}

/** The fragment the infinite-scroll island appends; `returnTo` is the full page holding the same items. */
export async function fragment(c: Context, deps: RouteDeps, base: string, data: DomainPage, viewerId: string | null, context?: FilterContext): Promise<Response> {
  const { locale, csrf } = chromeOf(c, deps);
  const url = new URL(c.req.url);
  const returnTo = `${base}${url.search}`;
  const body = fragmentHtml(c, h(PostListFragment, {
    locale, csrf, items: await postItems(deps, data.items, viewerId, context), returnTo, more: moreOf(base, data.nextMaxId),
  }));
  return c.html(body, 200, { "Cache-Control": "no-store" });
}

async function load(deps: RouteDeps, kind: TimelineKind, viewer: Viewer, viewerId: string | null, opts: PageOpts): Promise<DomainPage> {
  if (kind === "home") return await homeTimeline(deps.sql, viewerId!, opts);
  if (kind === "local") return await localTimeline(deps.sql, viewer, opts);
  return await groupTimeline(deps.sql, viewer, deps.data.siblings.list(), opts);
}

export const BASE: Record<TimelineKind, string> = { home: "/home", local: "/local", group: "/group" };
/** Whose filters apply where (Mastodon's contexts). */
const CONTEXT: Record<TimelineKind, FilterContext> = { home: "home", local: "public", group: "public" };

/** The home timeline page, also served at `/` for signed-in people (server/routes/pages/home.ts). */
export async function timelinePage(c: Context, deps: RouteDeps, kind: TimelineKind): Promise<Response> {
  const { viewer, viewerId } = viewerOf(c);
  if (kind === "home" && !viewerId) return toSignIn(c, BASE.home);
  const opts = cursor(c);
  const [data, scripts] = await Promise.all([
    load(deps, kind, viewer, viewerId, opts),
    islandUrls("composer", "infinite-scroll", "post-actions", "time-zone", ...(viewerId && !opts.maxId ? ["live-timeline"] : [])),
  ]);
  const base = chromeOf(c, deps);
  const url = new URL(c.req.url);
  const user = c.get("page").user;
  const onboarding = kind === "home" && user && !opts.maxId ? await onboardingFor(deps, user, data.items.length === 0, url.pathname) : null;
  return page(c, TimelinePage, {
    ...base,
    kind,
    items: await postItems(deps, data.items, viewerId, CONTEXT[kind]),
    more: moreOf(BASE[kind], data.nextMaxId),
    // The composer sits on top of the first page of the home timeline only.
    composer: kind === "home" && viewerId && !opts.maxId
      ? { returnTo: url.pathname, limits: POST_LIMITS, idempotencyKey: idempotencyKey(), values: composerDefaults(c) }
      : null,
    onboarding,
    // New posts arrive live on the first page (server/routes/pages/live.ts); older pages stay as they were read.
    live: viewerId && !opts.maxId ? `/live/timeline/${kind}` : null,
    path: url.pathname,
    scripts,
  });
}

export function registerTimelinePages(app: Hono, deps: RouteDeps): void {
  for (const kind of ["home", "local", "group"] as const) {
    app.get(BASE[kind], (c) => timelinePage(c, deps, kind));
    app.get(`${BASE[kind]}/more`, async (c) => {
      const { viewer, viewerId } = viewerOf(c);
      if (kind === "home" && !viewerId) return c.body(null, 401);
      return await fragment(c, deps, BASE[kind], await load(deps, kind, viewer, viewerId, cursor(c)), viewerId, CONTEXT[kind]);
    });
  }
}
