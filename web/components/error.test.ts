import { h } from "preact";
import { describe, expect, it } from "vitest";
import { ErrorPage } from "./error.ts";
import { render } from "./test-helpers.ts";

describe("ErrorPage", () => {
  it("names a 404 in French and shows the message", () => {
    const out = render(h(ErrorPage, { locale: "fr", csrf: "t", viewer: null, status: 404, message: "Ce compte n'existe pas." }));
    expect(out).toContain('<h1 id="page-title">Page introuvable</h1>');
    expect(out).toContain("<title>Page introuvable · Ruche</title>");
    expect(out).toContain('<p class="lead">Ce compte n\'existe pas.</p>');
    expect(out).toContain('<p class="error-code" aria-hidden="true">404</p>');
    expect(out).toContain('href="/">Retour à l\'accueil</a>');
  });

  it("names a 403 in English", () => {
    const out = render(h(ErrorPage, { locale: "en", csrf: "t", viewer: null, status: 403, message: "No." }));
    expect(out).toContain(">Access denied</h1>");
    expect(out).toContain(">Back to home</a>");
  });

  it("falls back to 'Error N' for a status without a name, and escapes the message", () => {
    const out = render(h(ErrorPage, { locale: "fr", csrf: "t", viewer: null, status: 418, message: "<i>théière</i>" }));
    expect(out).toContain(">Erreur 418</h1>");
    expect(out).toContain("&lt;i>théière&lt;/i>");
  });
});
