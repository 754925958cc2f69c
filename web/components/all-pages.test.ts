// Properties every page must have, checked on all of them in both languages.
import { h } from "preact";
import type { VNode } from "preact";
import { describe, expect, it } from "vitest";
import { locales } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { AccountListPage } from "./account-list.ts";
import { EditProfilePage } from "./edit-profile.ts";
import { ErrorPage } from "./error.ts";
import { FollowRequestsPage } from "./follow-requests.ts";
import { HomePage } from "./home.ts";
import { InvitationPage } from "./invitation.ts";
import { LanguagePage } from "./language.ts";
import { LoginPage } from "./login.ts";
import { PasswordPage } from "./password.ts";
import { ProfilePage } from "./profile.ts";
import { SearchPage } from "./search.ts";
import { AdminCharterPage, CharterPage } from "./charter.ts";
import { csrfInput, postForms, render } from "./test-helpers.ts";

const csrf = "tok-all";
const viewer = { username: "camille", displayName: "Camille", isAdmin: true };
const someone = { handle: "@lea@lyon.acme.example", displayName: "Léa", avatarUrl: null, url: "/@lea@lyon.acme.example" };

function pages(locale: Locale): Record<string, VNode<any>> {
  return {
    home: h(HomePage, { locale, csrf, viewer, instance: { name: "Paris", origin: "https://paris.acme.example", userCount: 3, siblings: [] } }),
    login: h(LoginPage, { locale, csrf, error: "x" }),
    charter: h(CharterPage, {
      locale, csrf, viewer, acceptedAt: null, next: "/",
      charter: { version: 2, html: "<p>Texte</p>", effectiveAt: new Date("2026-12-01T08:00:00Z"), replacesVersion: 1 },
    }),
    adminCharter: h(AdminCharterPage, {
      locale, csrf, viewer, timeZone: "Europe/Paris", form: { textFr: "a", textEn: "b", effectiveAt: "" },
      history: [{ version: 1, effectiveAt: new Date("2026-11-01T08:00:00Z"), acceptances: 12 }],
    }),
    profile: h(ProfilePage, {
      locale, csrf, viewer,
      account: {
        id: "1", username: "lea", handle: someone.handle, displayName: "Léa", bioHtml: "", avatarUrl: null, headerUrl: null,
        locked: true, isLocal: false, url: "https://lyon.acme.example/@lea", followersCount: 3, followingCount: 1,
        createdAt: new Date("2025-01-01T00:00:00Z"),
      },
      relationship: { self: false, following: false, requested: false, followedBy: true },
      followAction: "/@lea@lyon.acme.example/follow", unfollowAction: "/@lea@lyon.acme.example/unfollow",
      followers: [someone], following: [someone],
    }),
    accounts: h(AccountListPage, { locale, csrf, viewer, title: "T", accounts: [someone] }),
    editProfile: h(EditProfilePage, {
      locale, csrf, viewer, values: { displayName: "C", bio: "", locked: false }, saved: true,
      errors: { bio: "x" }, limits: { displayName: 30, bio: 500 },
    }),
    followRequests: h(FollowRequestsPage, { locale, csrf, viewer, requests: [{ ...someone, id: "9" }] }),
    language: h(LanguagePage, { locale, csrf, viewer, current: locale }),
    error: h(ErrorPage, { locale, csrf, viewer, status: 500, message: "x" }),
    search: h(SearchPage, { locale, csrf, viewer, q: "lea", results: [someone] }),
    password: h(PasswordPage, { locale, csrf, viewer, minLength: 10, saved: true, errors: { current: "x", confirm: "y" } }),
    invitation: h(InvitationPage, {
      locale, csrf, instanceName: "Paris", username: "camille", expiresAt: new Date("2026-12-10T12:00:00Z"),
      action: "/invitation/abc", minLength: 10, errors: { password: "x" },
    }),
  };
}

describe.each(locales)("every page in %s", (locale) => {
  for (const [name, vnode] of Object.entries(pages(locale))) {
    it(`${name}: is a ${locale} document whose POST forms all carry the CSRF token`, () => {
      const out = render(vnode);
      expect(out.startsWith(`<!doctype html><html lang="${locale}">`)).toBe(true);
      const forms = postForms(out);
      expect(forms.length).toBeGreaterThan(0); // at least the language switch
      for (const form of forms) expect(form).toContain(csrfInput(csrf));
    });

    it(`${name}: leaves no {placeholder} unfilled and has one h1`, () => {
      const out = render(vnode);
      expect(out).not.toMatch(/\{\w+\}/);
      expect(out.match(/<h1\b/g)).toHaveLength(1);
    });
  }
});
