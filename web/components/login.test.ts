import { h } from "preact";
import { describe, expect, it } from "vitest";
import { LoginPage } from "./login.ts";
import { csrfInput, postForms, render, tagWithId } from "./test-helpers.ts";

describe("LoginPage", () => {
  it("is a French sign-in form posting to /login with the CSRF token", () => {
    const out = render(h(LoginPage, { locale: "fr", csrf: "tok-login" }));
    expect(out).toContain("<h1 id=\"page-title\">Se connecter</h1>");
    const form = postForms(out).find((f) => f.includes('action="/login"'));
    expect(form).toContain(csrfInput("tok-login"));
    expect(form).toContain('<label for="login-username">Nom d\'utilisateur</label>');
    expect(form).toContain('<label for="login-password">Mot de passe</label>');
    expect(form).toContain('<input type="hidden" name="next" value="/"/>');
    expect(tagWithId(out, "login-password")).toContain('type="password"');
    expect(tagWithId(out, "login-password")).toContain('autocomplete="current-password"');
  });

  it("is in English when asked", () => {
    const out = render(h(LoginPage, { locale: "en", csrf: "t" }));
    expect(out).toContain(">Log in</button>");
    expect(out).toContain(">Username</label>");
    expect(out).not.toContain("Se connecter");
  });

  it("keeps the username and the destination after a failed attempt and links the error to the fields", () => {
    const out = render(
      h(LoginPage, {
        locale: "fr",
        csrf: "t",
        error: "Nom d'utilisateur ou mot de passe incorrect.",
        username: 'cam"ille',
        next: "/@lea",
      }),
    );
    expect(out).toContain('<p id="login-error" class="notice notice-error" role="alert">');
    expect(tagWithId(out, "login-username")).toContain('value="cam&quot;ille"');
    expect(tagWithId(out, "login-username")).toContain('aria-describedby="login-error"');
    expect(tagWithId(out, "login-username")).toContain('aria-invalid="true"');
    expect(out).toContain('<input type="hidden" name="next" value="/@lea"/>');
  });

  it("does not mark fields invalid when there is no error", () => {
    const out = render(h(LoginPage, { locale: "fr", csrf: "t" }));
    expect(tagWithId(out, "login-username")).not.toContain("aria-invalid");
    expect(tagWithId(out, "login-username")).not.toContain("aria-describedby");
  });
});
