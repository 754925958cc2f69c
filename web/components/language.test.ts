import { h } from "preact";
import { describe, expect, it } from "vitest";
import { LanguagePage } from "./language.ts";
import { csrfInput, postForms, render, tagWithId } from "./test-helpers.ts";

const viewer = { username: "camille", displayName: "Camille", isAdmin: false };

describe("LanguagePage", () => {
  it("posts the chosen locale to /settings/language with the CSRF token", () => {
    const out = render(h(LanguagePage, { locale: "fr", csrf: "tok-lang", viewer, current: "fr" }));
    const form = postForms(out).find((f) => f.includes('class="stack-form"')) ?? "";
    expect(form).toContain('action="/settings/language"');
    expect(form).toContain(csrfInput("tok-lang"));
    expect(form).toContain("<legend>Langue de l'interface</legend>");
  });

  it("checks the current setting and names each language in itself", () => {
    const out = render(h(LanguagePage, { locale: "fr", csrf: "t", viewer, current: "en" }));
    expect(tagWithId(out, "locale-en")).toContain('name="locale" value="en" checked');
    expect(tagWithId(out, "locale-fr")).not.toContain("checked");
    expect(out).toContain('<label for="locale-en" lang="en">English</label>');
    expect(out).toContain('<label for="locale-fr" lang="fr">Français</label>');
  });

  it("is in English when asked", () => {
    const out = render(h(LanguagePage, { locale: "en", csrf: "t", viewer, current: "en" }));
    expect(out).toContain("<legend>Interface language</legend>");
    expect(out).toContain(">Save</button>");
  });
});
