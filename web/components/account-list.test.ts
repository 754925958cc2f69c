import { h } from "preact";
import { describe, expect, it } from "vitest";
import { AccountListPage } from "./account-list.ts";
import { render } from "./test-helpers.ts";

const viewer = { username: "camille", displayName: "Camille", isAdmin: false };
const accounts = [
  { handle: "@lea@lyon.acme.example", displayName: "Léa Martin", avatarUrl: null, url: "/@lea@lyon.acme.example" },
  { handle: "@omar@paris.acme.example", displayName: "", avatarUrl: "https://paris.acme.example/o.webp", url: "/@omar" },
];

describe("AccountListPage", () => {
  it("shows the title and one row per account linking to its local profile page", () => {
    const out = render(h(AccountListPage, { locale: "fr", csrf: "t", viewer, title: "Abonnés de Léa", accounts }));
    expect(out).toContain('<h1 id="page-title">Abonnés de Léa</h1>');
    expect(out).toContain("<title>Abonnés de Léa · Ruche</title>");
    expect(out.match(/<li class="account-row">/g)).toHaveLength(2);
    expect(out).toContain('<a class="account-link" href="/@lea@lyon.acme.example">');
    expect(out).toContain('<bdi class="handle" translate="no">@omar@paris.acme.example</bdi>');
  });

  it("uses the username when the display name is empty, and the avatar when there is one", () => {
    const out = render(h(AccountListPage, { locale: "en", csrf: "t", viewer, title: "Followers", accounts }));
    expect(out).toContain('<bdi class="display-name">omar</bdi>');
    expect(out).toContain('src="https://paris.acme.example/o.webp" alt ');
    expect(out).toMatch(/avatar-placeholder[^"]*" aria-hidden="true">LM</);
  });

  it("has an empty state in both languages", () => {
    expect(render(h(AccountListPage, { locale: "fr", csrf: "t", viewer, title: "x", accounts: [] }))).toContain(
      '<p class="empty-state">Personne pour l\'instant.</p>',
    );
    expect(render(h(AccountListPage, { locale: "en", csrf: "t", viewer, title: "x", accounts: [] }))).toContain(
      '<p class="empty-state">Nobody here yet.</p>',
    );
  });
});
