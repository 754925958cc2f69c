import { h } from "preact";
import { describe, expect, it } from "vitest";
import { HomePage } from "./home.ts";
import { render, textOf } from "./test-helpers.ts";

const instance = {
  name: "Paris",
  origin: "https://paris.acme.example",
  userCount: 1234,
  siblings: [{ origin: "https://lyon.acme.example", name: "Acme Lyon" }, { origin: "https://tokyo.acme.example", name: null }],
};
const viewer = { username: "camille", displayName: "Camille", isAdmin: false };

describe("HomePage", () => {
  it("welcomes French visitors, explains Ruche and counts accounts", () => {
    const out = render(h(HomePage, { locale: "fr", csrf: "t", viewer: null, instance }));
    expect(out).toContain("Bienvenue sur Ruche Paris");
    expect(out).toContain("Ruche est le réseau social de votre entreprise");
    expect(out).toContain("1\u202f234 comptes dans cette filiale");
    // It promises only what Ruche does today (no events, no polls yet), in plain words.
    expect(textOf(out)).not.toMatch(/événement|sondage|instance|fédivers/i);
    expect(out).toContain('<span class="brand-instance">Paris</span>');
  });

  it("lists sibling instances as links to their origins, by the name they publish, else by host", () => {
    const out = render(h(HomePage, { locale: "en", csrf: "t", viewer: null, instance }));
    expect(out).toContain("The other subsidiaries");
    expect(out).toContain('<a href="https://lyon.acme.example" translate="no">Acme Lyon</a> <span class="sibling-host" translate="no">(lyon.acme.example)</span>');
    expect(out).toContain('<a href="https://tokyo.acme.example" translate="no">tokyo.acme.example</a>');
  });

  it("says so when there are no siblings", () => {
    const out = render(h(HomePage, { locale: "fr", csrf: "t", viewer: null, instance: { ...instance, siblings: [] } }));
    expect(out).toContain("Cette filiale n'est encore reliée à aucune autre.");
    expect(out).not.toContain("sibling-list");
  });

  it("invites signed-out visitors to log in and hides the search form", () => {
    const out = render(h(HomePage, { locale: "fr", csrf: "t", viewer: null, instance }));
    expect(out).toContain('<a class="button button-primary" href="/login">Se connecter</a>');
    expect(out).not.toContain('action="/search"');
  });

  it("gives signed-in people a GET search form that takes @user@host addresses", () => {
    const out = render(h(HomePage, { locale: "en", csrf: "tok-home", viewer, instance: { ...instance, userCount: 1 } }));
    const form = /<form method="get" action="\/search"[\s\S]*?<\/form>/.exec(out)?.[0] ?? "";
    expect(form).toContain('name="q"');
    expect(out).toContain("Find a colleague");
    expect(form).toContain(">Username or address</label>");
    // A GET form must not leak the CSRF token into the URL.
    expect(form).not.toContain("_csrf");
    expect(textOf(form)).toContain("@alex@lyon.acme.example");
    expect(out).toContain("1 account in this subsidiary");
  });
});
