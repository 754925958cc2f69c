// Sessions and CSRF for the web UI. The session cookie is HttpOnly, SameSite=Lax and Secure on https origins;
// only its SHA-256 is stored. Every POST form carries a CSRF token: the session's own when signed in, a
// double-submit cookie before (the login form).
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { canonicalTimeZone, findLocalUserById, type LocalUser, setTimeZone } from "../../domain/accounts/accounts.ts";
import { readSession, safeEqual } from "../../domain/accounts/tokens.ts";
import { unreadCount } from "../../domain/notifications/notifications.ts";
import { negotiateLocale, type Locale } from "../../../web/i18n/index.ts";
import type { PageChrome } from "../../../web/components/layout.ts";
import type { RouteDeps } from "../deps.ts";

export const SESSION_COOKIE = "ruche_session";
const CSRF_COOKIE = "ruche_csrf";
const LOCALE_COOKIE = "ruche_locale";
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
    // One indexed count per signed-in page view (capped at 1,000 by the domain).
    const unreadNotifications = user ? await unreadCount(deps.sql, user.account.id) : 0;
    c.set("page", { user, csrf, locale, timeZone, unreadNotifications });
    await next();
  };
}

/** Refuses a POST whose form token does not match (cross-site request forgery). */
export async function checkCsrf(c: Context, form: Record<string, unknown>): Promise<boolean> {
  const token = form._csrf;
  return typeof token === "string" && safeEqual(token, c.get("page").csrf);
}

export function setLocaleCookie(c: Context, deps: RouteDeps, locale: Locale): void {
  setCookie(c, LOCALE_COOKIE, locale, { ...cookieOptions(deps, 365 * 86_400), httpOnly: false });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

/** What every page component needs from the request. */
export function chromeOf(c: Context, deps: RouteDeps): PageChrome {
  const { user, csrf, locale, unreadNotifications } = c.get("page");
  return {
    locale,
    csrf,
    viewer: user ? { username: user.account.username, displayName: user.account.displayName, isAdmin: user.role === "admin" } : null,
    instanceName: deps.config.instanceName,
    path: new URL(c.req.url).pathname,
    unreadNotifications,
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
export function toSignIn(c: Context, back?: string): Response {
  const url = new URL(c.req.url);
  return c.redirect(`/login?next=${encodeURIComponent(back ?? url.pathname + url.search)}`, 303);
}
