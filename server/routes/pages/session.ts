// Sessions and CSRF for the web UI. The session cookie is HttpOnly, SameSite=Lax and Secure on https origins;
// only its SHA-256 is stored. Every POST form carries a CSRF token: the session's own when signed in, a
// double-submit cookie before (the login form).
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { z } from "zod";
import { canonicalTimeZone, findLocalUserById, isStaff, type LocalUser, setTimeZone } from "../../domain/accounts/accounts.ts";
import { createSession, readSession, safeEqual } from "../../domain/accounts/tokens.ts";
import { pendingFollowRequestCount } from "../../domain/follows/follows.ts";
import { unreadCount } from "../../domain/notifications/notifications.ts";
import { unreadNotices } from "../../domain/moderation/decisions.ts";
import { charterToAccept } from "../../domain/charter/charter.ts";
import { unreadConversations } from "../../domain/conversations/conversations.ts";
import { negotiateLocale, t, type Locale } from "../../../web/i18n/index.ts";
import type { Flash, PageChrome } from "../../../web/components/layout.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";

export const SESSION_COOKIE = "ruche_session";
const CSRF_COOKIE = "ruche_csrf";
const LOCALE_COOKIE = "ruche_locale";
const FLASH_COOKIE = "ruche_flash";
/** The browser's time zone, written by the time-zone island (web/islands/time-zone.ts). */
const TIME_ZONE_COOKIE = "ruche_tz";

export interface PageState {
  user: LocalUser | null;
  csrf: string;
  locale: Locale;
  /** The reader's IANA time zone: their setting, else their browser's, else UTC. */
  timeZone: string;
  /** Unread notifications of the signed-in person, for the navigation (issue #4). */
  unreadNotifications: number;
  /** Follow requests waiting for the signed-in person (the section shows only when there are some). */
  pendingFollowRequests: number;
  /** Conversations of the signed-in person with an unread message (issue #9 point 2). */
  unreadMessages: number;
  /** The islands every page loads (menus, copy link). */
  shellScripts: string[];
  /** A message left by the previous request (after a redirect), shown once. */
  flash?: Flash[];
}

declare module "hono" {
  interface ContextVariableMap {
    page: PageState;
  }
}

export function cookieOptions(deps: RouteDeps, maxAgeSeconds?: number) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: deps.config.origin.startsWith("https:"),
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** Loads the viewer, the CSRF token and the locale for every page request. */
export function pageSession(deps: RouteDeps): MiddlewareHandler {
  return async (c, next) => {
    let user: LocalUser | null = null;
    let csrf: string | undefined;
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) {
      const s = await readSession(deps.sql, cookie);
      if (s) {
        user = await findLocalUserById(deps.sql, s.accountId);
        csrf = s.csrf;
      }
    }
    if (!csrf) {
      csrf = getCookie(c, CSRF_COOKIE);
      if (!csrf || csrf.length < 20) {
        csrf = randomBytes(24).toString("base64url");
        setCookie(c, CSRF_COOKIE, csrf, cookieOptions(deps));
      }
    }
    const locale = negotiateLocale(c.req.header("accept-language"), user?.locale ?? getCookie(c, LOCALE_COOKIE));
    // An account without a time zone takes its browser's, once (signed in before the island ran, or without it).
    const browserZone = canonicalTimeZone(getCookie(c, TIME_ZONE_COOKIE));
    if (user && !user.timeZone && browserZone) {
      await setTimeZone(deps.sql, user.account.id, browserZone, { onlyIfUnset: true });
      user = { ...user, timeZone: browserZone };
    }
    const timeZone = user?.timeZone ?? browserZone ?? "UTC";
    // Indexed, capped counts per signed-in page view, for the navigation's badges.
    const [unreadNotifications, pendingFollowRequests, unreadMessages, shellScripts, charter, moderationNotices] = await Promise.all([
      user ? unreadCount(deps.sql, user.account.id) : 0,
      user ? pendingFollowRequestCount(deps.sql, user.account.id) : 0,
      user ? unreadConversations(deps.sql, user.account.id) : 0,
      user ? islandUrls("menus", "copy-link", "live-badges") : islandUrls("menus", "copy-link"),
      user ? charterToAccept(deps.sql, user.account.id) : null,
      user ? unreadNotices(deps.sql, user.account.id) : 0,
    ]);
    let flash = takeFlash(c);
    // A moderator's decision about the person is shown on every page until they have read it (issue #15 point 5).
    if (moderationNotices > 0 && c.req.path !== "/settings/moderation") {
      flash = [{ kind: "info", message: t(locale, "moderation.notices.banner"), link: { href: "/settings/moderation", label: t(locale, "moderation.notices.read") } }, ...(flash ?? [])];
    }
    // A planned deletion of one's account is recalled on every page, with the way to keep it.
    if (user?.deletionDueAt && c.req.path !== "/settings/delete") {
      flash = [{ kind: "info", message: t(locale, "deletion.banner"), link: { href: "/settings/delete", label: t(locale, "deletion.bannerLink") } }, ...(flash ?? [])];
    }
    c.set("page", { user, csrf, locale, timeZone, unreadNotifications, pendingFollowRequests, unreadMessages, shellScripts, flash });
    // The usage charter in force comes first (issue #15): at first sign-in and whenever a new version takes effect.
    if (charter && !charterOpen(c.req.path)) {
      const url = new URL(c.req.url);
      const back = c.req.method === "GET" ? url.pathname + url.search : "/";
      return c.redirect(`/charter?next=${encodeURIComponent(back)}`, 303);
    }
    await next();
  };
}

/** Pages a person who has not accepted the charter in force may still open: the charter, language, signing out. */
function charterOpen(path: string): boolean {
  return path === "/charter" || path === "/logout" || path === "/login" || path === "/settings/language" ||
    path === "/settings/delete" || path === "/settings/delete/cancel" ||
    path === "/admin/charter" || path.startsWith("/auth/");
}

// The cookie comes back from the browser, so it is read as untrusted input: a message of bounded length, and an
// undo action that can only be a POST to a path of this site (with the session's CSRF token added when rendered).
const flashSchema = z.object({
  kind: z.enum(["info", "error"]),
  message: z.string().min(1).max(500),
  undo: z.object({
    action: z.string().regex(/^\/[a-z0-9/_-]{1,200}$/),
    label: z.string().min(1).max(50),
    next: z.string().max(500).optional(),
  }).optional(),
});

/** Leaves a message for the page the browser is redirected to (shown once, then forgotten). */
export function setFlash(c: Context, deps: RouteDeps, flash: Flash): void {
  const value = Buffer.from(JSON.stringify(flash)).toString("base64url");
  setCookie(c, FLASH_COOKIE, value, cookieOptions(deps, 60));
}

function takeFlash(c: Context): Flash[] | undefined {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return undefined;
  deleteCookie(c, FLASH_COOKIE, { path: "/" });
  try {
    const parsed = flashSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    if (!parsed.success) return undefined;
    const undo = parsed.data.undo;
    return [{ ...parsed.data, undo: undo ? { ...undo, next: undo.next === undefined ? undefined : safeNext(undo.next) } : undefined }];
  } catch {
    return undefined;
  }
}

/** Refuses a POST whose form token does not match (cross-site request forgery). */
export async function checkCsrf(c: Context, form: Record<string, unknown>): Promise<boolean> {
  const token = form._csrf;
  return typeof token === "string" && safeEqual(token, c.get("page").csrf);
}

export function setLocaleCookie(c: Context, deps: RouteDeps, locale: Locale): void {
  setCookie(c, LOCALE_COOKIE, locale, { ...cookieOptions(deps, 365 * 86_400), httpOnly: false });
}

/** Signs the browser in as this account: a new session and its cookie (sign-in form, invitation link). */
export async function startSession(c: Context, deps: RouteDeps, accountId: string): Promise<void> {
  const session = await createSession(deps.sql, accountId);
  setCookie(c, SESSION_COOKIE, session.cookie, { ...cookieOptions(deps), expires: session.expires });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** What every page component needs from the request. */
export function chromeOf(c: Context, deps: RouteDeps): PageChrome {
  const { user, csrf, locale, unreadNotifications, pendingFollowRequests, unreadMessages, shellScripts } = c.get("page");
  const a = user?.account;
  return {
    locale,
    csrf,
    viewer: user && a ? { username: a.username, displayName: a.displayName, isAdmin: user.role === "admin", isStaff: isStaff(user), avatarUrl: a.avatarUrl } : null,
    instanceName: deps.config.instanceName,
    path: new URL(c.req.url).pathname,
    unreadNotifications,
    pendingFollowRequests,
    unreadMessages,
    shellScripts,
    flash: c.get("page").flash,
  };
}

/**
 * A `next` target after sign-in or a form: only a path on this site. Resolved against a placeholder origin and
 * compared by origin, because browsers drop tabs and newlines inside URLs: "/\t/evil.example" passed a prefix check
 * and then led to another site (open redirect). Control characters and backslashes are refused outright.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  const base = "http://ruche.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
}

/**
 * Signed-out visitors go to the sign-in page and come back here afterwards — or to `back` (a form's POST goes
 * back to the page that holds the form).
 */
/** The signed-in person, or the redirect to the sign-in page that comes back here. */
export function requireUser(c: Context) {
  const user = c.get("page").user;
  if (!user) return { redirect: toSignIn(c, new URL(c.req.url).pathname) };
  return { user };
}

export function toSignIn(c: Context, back?: string): Response {
  const url = new URL(c.req.url);
  return c.redirect(`/login?next=${encodeURIComponent(back ?? url.pathname + url.search)}`, 303);
}
