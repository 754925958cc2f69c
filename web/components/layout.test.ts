import { h } from "preact";
import { describe, expect, it } from "vitest";
import { html } from "../html.ts";
import { Layout } from "./layout.ts";
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

  it("shows the signed-in navigation in French", () => {
    const out = page({ path: "/settings/profile" });
    expect(out).toContain('<a href="/">Accueil</a>');
    expect(out).toContain('<a href="/@camille">Profil</a>');
    expect(out).toContain('<a href="/follow-requests">Demandes d\'abonnement</a>');
    expect(out).toContain('<a href="/settings/profile" aria-current="page">Modifier le profil</a>');
    expect(out).toContain('<a href="/settings/language">Langue</a>');
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

  it("offers only Home and Log in when signed out", () => {
    const out = page({ viewer: null, locale: "en" });
    expect(out).toContain('<a href="/login">Log in</a>');
    expect(out).not.toContain("/follow-requests");
    expect(out).not.toContain('action="/logout"');
    expect(page({ viewer: null })).toContain('<a href="/login">Se connecter</a>');
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
    expect(out).toContain('<bdi class="display-name">&lt;b>Cam&lt;/b></bdi>');
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
