import { h } from "preact";
import { describe, expect, it } from "vitest";
import { html } from "../html.ts";
import { Layout } from "./layout.ts";
import { isCurrent, SECTIONS, ShellNav } from "./shell-nav.ts";
import { csrfInput, postForms, render } from "./test-helpers.ts";

const viewer = { username: "camille", displayName: "Camille Durand", isAdmin: false };

function page(overrides: Partial<Parameters<typeof Layout>[0]> = {}) {
  return render(
    h(Layout, {
      locale: "fr",
      title: "Accueil",
      viewer,
      csrf: "tok-layout",
      instanceName: "Paris",
      children: html`<p>contenu</p>`,
      ...overrides,
    }),
  );
}

describe("Layout", () => {
  it("is a whole document in the page language, with viewport and stylesheet", () => {
    const out = page();
    expect(out.startsWith("<!doctype html><html lang=\"fr\">")).toBe(true);
    expect(out).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(out).toContain('<link rel="stylesheet" href="/static/app.css"/>');
    expect(out).toContain("<title>Accueil · Ruche Paris</title>");
    expect(page({ locale: "en" })).toContain('<html lang="en">');
  });

  it("names Ruche and the instance in the header", () => {
    const out = page();
    expect(out).toMatch(/<span class="brand-name">Ruche<\/span><span class="brand-instance">Paris<\/span>/);
  });

  it("has a skip link to the main landmark, and header, nav, main, footer", () => {
    const out = page();
    expect(out).toContain('<a class="skip-link" href="#main">Aller au contenu principal</a>');
    expect(out).toContain('<main id="main"');
    expect(out).toMatch(/<header[\s\S]*<nav [^>]*aria-label="Navigation principale"[\s\S]*<main[\s\S]*<footer/);
    expect(page({ locale: "en" })).toContain(">Skip to main content</a>");
  });

  it("draws the sections from one list: a sidebar item each, the non-primary ones again in the phone's Plus menu", () => {
    const out = page({ path: "/local" });
    const nav = /<nav class="site-nav"[\s\S]*<\/nav>/.exec(out)![0];
    const main = nav.replace(/<details class="nav-more"[\s\S]*<\/details>/, "");
    const more = /<details class="nav-more" data-menu="true">[\s\S]*<\/details>/.exec(nav)![0];
    const hrefs = (html: string) => [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs(main)).toEqual(SECTIONS.filter((s) => !s.onlyWithBadge).map((s) => s.href));
    expect(hrefs(more)).toEqual(SECTIONS.filter((s) => !s.primary && !s.onlyWithBadge).map((s) => s.href));
    expect(more).toContain('<summary class="nav-more-button"><svg');
    expect(more).toContain('<span class="nav-label">Plus</span>');
    expect(main).toMatch(/<a href="\/local" aria-current="page" data-section="local">/);
    expect(main).toContain('<li class="nav-item nav-secondary"><a href="/group"');
    // A Plus page being the current one shows on its button.
    expect(page({ path: "/bookmarks" })).toContain('<summary class="nav-more-button is-current">');
  });

  it("takes a coming section as one more entry, and keeps the phone's bar to the primary ones", () => {
    const sections = [...SECTIONS, ...["agenda", "webtv", "wiki", "votes", "surveys", "forms"].map((id) => ({ id, href: `/${id}`, label: "nav.home" as const, icon: "public" as const }))];
    const out = render(h(ShellNav, { locale: "fr", path: "/agenda", badges: { notifications: 0, followRequests: 0 }, sections }));
    const more = /<details[\s\S]*<\/details>/.exec(out)![0];
    for (const id of ["agenda", "webtv", "wiki", "votes", "surveys", "forms"]) expect(more).toContain(`href="/${id}"`);
    // The primary sections, and in the "More" menu every other shown section (the six coming ones among them).
    const secondary = SECTIONS.filter((s) => !s.primary && !s.onlyWithBadge).length;
    expect(out.match(/<li class="nav-item">/g)?.length).toBe(SECTIONS.filter((s) => s.primary).length + secondary + 6);
    expect(isCurrent(sections.find((s) => s.id === "agenda")!, "/agenda/2026-12")).toBe(true);
  });

  it("shows follow requests only when there are some, with their count, and the unread notifications", () => {
    expect(page()).not.toContain('href="/follow-requests"');
    const out = page({ pendingFollowRequests: 2, unreadNotifications: 120 });
    expect(out).toContain('<span class="nav-label">Demandes d\'abonnement</span><span class="nav-count"> <span aria-hidden="true">2</span><span class="visually-hidden">(2\u00a0demandes en attente)</span></span>');
    expect(out).toContain('<span aria-hidden="true">99+</span><span class="visually-hidden">(120 notifications non lues)</span>');
    // On a phone, follow requests sit in Plus: its button carries a dot then.
    expect(out).toContain('<span class="nav-dot"><span class="visually-hidden">(du nouveau)</span></span>');
  });

  it("has a people search box in the header and the person's menu behind their avatar", () => {
    const out = page({ path: "/settings/profile", viewer: { ...viewer, avatarUrl: "/media/avatars/ab.png" } });
    expect(out).toMatch(/<form class="header-search" method="get" action="\/knowledge\/search" role="search" aria-label="Rechercher dans Ruche">/);
    expect(out).toContain('<label class="visually-hidden" for="header-search-q">Rechercher dans Ruche</label>');
    const menu = /<details class="account-menu" data-menu="true">[\s\S]*?<\/details>/.exec(out)![0];
    expect(menu).toMatch(/<img class="avatar avatar-small" src="\/media\/avatars\/ab.png" alt[ =]/);
    expect(menu).toContain('<span class="visually-hidden">Menu du compte</span>');
    expect(menu).toContain('<a class="menu-item" href="/@camille">Profil</a>');
    expect(menu).toContain('<a class="menu-item" href="/settings/profile" aria-current="page">Modifier le profil</a>');
    expect(menu).toContain('<a class="menu-item" href="/settings/mutes">Masquer ou bloquer</a>');
    expect(menu).toContain('<a class="menu-item" href="/settings/language">Langue</a>');
    expect(menu).toContain('action="/logout"');
    expect(out).not.toContain('href="/login"');
  });

  it("logs out with a POST form carrying the CSRF token, not a link", () => {
    const out = page();
    const logout = postForms(out).find((f) => f.includes('action="/logout"'));
    expect(logout).toBeDefined();
    expect(logout).toContain(csrfInput("tok-layout"));
    expect(logout).toContain(">Déconnexion</button>");
    expect(out).not.toContain('href="/logout"');
  });

  it("offers only the language switch and Log in when signed out: no sections, no search", () => {
    const out = page({ viewer: null, locale: "en" });
    expect(out).toContain('<a class="button button-primary header-login" href="/login">Log in</a>');
    expect(out).not.toContain("site-nav");
    expect(out).not.toContain('action="/search"');
    expect(out).not.toContain('action="/logout"');
    expect(page({ viewer: null })).toContain('href="/login">Se connecter</a>');
  });

  it("shows a notice with an undo button as a CSRF-protected POST form", () => {
    const out = page({ flash: [{ kind: "info", message: "Alex est masqué·e", undo: { action: "/settings/mutes/accounts/7/unmute", label: "Annuler", next: "/local" } }] });
    const form = postForms(out).find((f) => f.includes('action="/settings/mutes/accounts/7/unmute"'))!;
    expect(form).toContain(csrfInput("tok-layout"));
    expect(form).toContain('<input type="hidden" name="next" value="/local"/>');
    expect(form).toContain(">Annuler</button>");
    expect(out).toMatch(/<div class="notice notice-info notice-undo" role="status"><span>Alex est masqué·e<\/span>/);
  });

  it("switches language with a POST form to the other language, coming back to the same page", () => {
    const fr = postForms(page({ path: "/@camille" })).find((f) => f.includes('action="/settings/language"'));
    expect(fr).toContain(csrfInput("tok-layout"));
    expect(fr).toContain('<input type="hidden" name="next" value="/@camille"/>');
    expect(fr).toMatch(/<button type="submit" name="locale" value="en" lang="en"[^>]*>\s*English\s*<\/button>/);
    const en = postForms(page({ locale: "en" })).find((f) => f.includes('action="/settings/language"'));
    expect(en).toMatch(/name="locale" value="fr" lang="fr"[^>]*>\s*Français\s*</);
  });

  it("shows the viewer's name as isolated text and an admin badge only for admins", () => {
    const out = page({ viewer: { ...viewer, displayName: "<b>Cam</b>" } });
    expect(out).toContain('<span class="account-menu-name"><bdi class="display-name">&lt;b>Cam&lt;/b></bdi></span>');
    expect(out).not.toContain("badge-admin");
    expect(page({ viewer: { ...viewer, isAdmin: true } })).toContain('<span class="badge badge-admin">Admin</span>');
  });

  it("announces errors as alerts and information as status", () => {
    const out = page({
      flash: [
        { kind: "info", message: "Profil enregistré" },
        { kind: "error", message: "Échec <de> l'envoi" },
      ],
    });
    expect(out).toContain('<p class="notice notice-info" role="status">Profil enregistré</p>');
    expect(out).toContain('<p class="notice notice-error" role="alert">Échec &lt;de> l\'envoi</p>');
  });
});
