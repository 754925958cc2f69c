import { h } from "preact";
import { describe, expect, it } from "vitest";
import { ProfilePage } from "./profile.ts";
import type { ProfilePageProps, Relationship } from "./profile.ts";
import { csrfInput, postForms, render, textOf } from "./test-helpers.ts";

const viewer = { username: "camille", displayName: "Camille", isAdmin: false };
const stranger: Relationship = { self: false, following: false, requested: false, followedBy: false };

function props(overrides: Partial<ProfilePageProps> = {}): ProfilePageProps {
  return {
    locale: "fr",
    csrf: "tok-profile",
    viewer,
    account: {
      id: "42",
      username: "lea",
      handle: "@lea@lyon.acme.example",
      displayName: "Léa Martin",
      bioHtml: '<p>Achats à <a href="https://lyon.acme.example/tags/velo">#vélo</a></p>',
      avatarUrl: null,
      headerUrl: null,
      locked: false,
      isLocal: false,
      url: "https://lyon.acme.example/@lea",
      followersCount: 1,
      followingCount: 2,
      createdAt: new Date("2024-03-05T10:00:00Z"),
    },
    relationship: stranger,
    followAction: "/@lea@lyon.acme.example/follow",
    unfollowAction: "/@lea@lyon.acme.example/unfollow",
    ...overrides,
  };
}

const withAccount = (changes: Partial<ProfilePageProps["account"]>, rest: Partial<ProfilePageProps> = {}) =>
  props({ ...rest, account: { ...props().account, ...changes } });

describe("ProfilePage", () => {
  it("shows name, handle, counts in French with plurals, and the join date", () => {
    const out = render(h(ProfilePage, props()));
    expect(out).toContain('<bdi class="display-name">Léa Martin</bdi>');
    expect(out).toContain('<bdi class="handle" translate="no">@lea@lyon.acme.example</bdi>');
    expect(out).toContain('<a href="/@lea@lyon.acme.example/followers">1 abonné</a>');
    expect(out).toContain('<a href="/@lea@lyon.acme.example/following">2 abonnements</a>');
    expect(textOf(out)).toContain("Membre depuis mars 2024");
    expect(out).toContain('<time datetime="2024-03-05T10:00:00.000Z" title="mardi 5 mars 2024 à 10:00 UTC">mars 2024</time>');
  });

  it("speaks English too", () => {
    const out = render(h(ProfilePage, props({ locale: "en" })));
    expect(out).toContain(">1 follower</a>");
    expect(out).toContain(">2 following</a>");
    expect(textOf(out)).toContain("Joined March 2024");
    expect(out).toContain(">Follow</button>");
  });

  it("links local counts to /@username", () => {
    const out = render(h(ProfilePage, withAccount({ isLocal: true, handle: "@lea@paris.acme.example" })));
    expect(out).toContain('href="/@lea/followers"');
    expect(out).toContain('href="/@lea/following"');
    expect(out).not.toContain("Compte hébergé sur");
  });

  it("inserts the (already sanitised) bio HTML as markup", () => {
    const out = render(h(ProfilePage, props()));
    expect(out).toContain(
      '<div class="bio prose"><p>Achats à <a href="https://lyon.acme.example/tags/velo">#vélo</a></p></div>',
    );
  });

  it("escapes a display name that carries markup", () => {
    const out = render(h(ProfilePage, withAccount({ displayName: '<script>alert("x")</script>' })));
    expect(out).not.toContain("<script>");
    expect(out).toContain('<bdi class="display-name">&lt;script>alert(&quot;x&quot;)&lt;/script></bdi>');
  });

  it("isolates a right-to-left override in the name, in the page and in the title", () => {
    const out = render(h(ProfilePage, withAccount({ displayName: "\u202Eevil" })));
    expect(out).toContain('<bdi class="display-name">\u202Eevil</bdi>');
    expect(out).toContain("<title>\u2068\u202Eevil\u2069 (@lea@lyon.acme.example)");
    // The override never appears outside an isolate.
    const outside = out.replace(/<bdi[^>]*>[^<]*<\/bdi>/g, "").replace(/\u2068[^\u2069]*\u2069/g, "");
    expect(outside).not.toContain("\u202E");
  });

  it("falls back to the username when the display name is empty", () => {
    const out = render(h(ProfilePage, withAccount({ displayName: "  " })));
    expect(out).toContain('<bdi class="display-name">lea</bdi>');
  });

  it("shows initials when there is no avatar, the picture when there is one", () => {
    expect(render(h(ProfilePage, props()))).toMatch(/<span class="avatar avatar-large avatar-placeholder[^"]*" aria-hidden="true">LM<\/span>/);
    const out = render(h(ProfilePage, withAccount({ avatarUrl: "https://lyon.acme.example/a.png" })));
    // An empty alt renders as a bare `alt`, which HTML reads as alt="": decorative, the name is beside it.
    expect(out).toMatch(/<img class="avatar avatar-large" src="https:\/\/lyon.acme.example\/a.png" alt /);
  });

  it("marks a locked account with the lock notice", () => {
    const out = render(h(ProfilePage, withAccount({ locked: true })));
    expect(out).toContain("Compte verrouillé\u00a0: les demandes d'abonnement sont approuvées une à une.");
    expect(out).toContain(">Demander à suivre</button>");
    expect(render(h(ProfilePage, props()))).not.toContain("Compte verrouillé");
    expect(render(h(ProfilePage, withAccount({ locked: true }, { locale: "en" })))).toContain("Locked account");
  });

  it("follows with a POST form to followAction carrying the CSRF token", () => {
    const forms = postForms(render(h(ProfilePage, props())));
    expect(forms).toHaveLength(4); // follow, block (in the profile menu), logout, language switch
    const follow = forms.find((f) => f.includes('action="/@lea@lyon.acme.example/follow"'));
    expect(follow).toContain(csrfInput("tok-profile"));
    expect(follow).toContain(">Suivre</button>");
  });

  it("blocks from the profile menu after a confirmation, and unblocks from there (issue #8 point 14)", () => {
    const out = render(h(ProfilePage, props()));
    const blockForm = postForms(out).find((f) => f.includes('action="/settings/mutes/accounts/42/block"'));
    expect(blockForm).toContain(csrfInput("tok-profile"));
    expect(blockForm).toContain('name="next" value="/@lea@lyon.acme.example"');
    expect(blockForm).toContain("Vous ne verrez plus les messages de \u2068Léa Martin\u2069");
    expect(blockForm).toContain(">Bloquer</button>");
    // The confirmation sits behind its own disclosure: one click opens it, a second one blocks.
    expect(out).toMatch(/<summary class="menu-item menu-item-danger">Bloquer \u2068Léa Martin\u2069<\/summary>\s*<form/);
    const blocked = render(h(ProfilePage, props({ relationship: { ...stranger, blocking: true }, locale: "en" })));
    expect(blocked).toContain("You blocked this person.");
    expect(blocked).not.toContain('action="/@lea@lyon.acme.example/follow"');
    expect(postForms(blocked).find((f) => f.includes('action="/settings/mutes/accounts/42/unblock"'))).toContain(">Unblock \u2068Léa Martin\u2069</button>");
    // Blocked by them: no follow offered (it would be refused).
    expect(render(h(ProfilePage, props({ relationship: { ...stranger, blockedBy: true } })))).not.toContain('action="/@lea@lyon.acme.example/follow"');
  });

  it("unfollows when already following", () => {
    const out = render(h(ProfilePage, props({ relationship: { ...stranger, following: true } })));
    const unfollow = postForms(out).find((f) => f.includes('action="/@lea@lyon.acme.example/unfollow"'));
    expect(unfollow).toContain(">Ne plus suivre</button>");
    expect(unfollow).toContain(csrfInput("tok-profile"));
    expect(out).not.toContain('action="/@lea@lyon.acme.example/follow"');
  });

  it("cancels a pending request through the unfollow action", () => {
    const out = render(h(ProfilePage, props({ locale: "en", relationship: { ...stranger, requested: true } })));
    expect(out).toContain("Request sent");
    const cancel = postForms(out).find((f) => f.includes('action="/@lea@lyon.acme.example/unfollow"'));
    expect(cancel).toContain(">Cancel request</button>");
  });

  it("shows the 'follows you' badge only when they follow the viewer", () => {
    const out = render(h(ProfilePage, props({ relationship: { ...stranger, followedBy: true } })));
    expect(out).toContain('<span class="badge">Vous suit</span>');
    expect(render(h(ProfilePage, props()))).not.toContain("Vous suit");
  });

  it("offers 'edit profile' instead of a follow button on one's own profile", () => {
    const out = render(h(ProfilePage, props({ relationship: { ...stranger, self: true } })));
    expect(out).toContain('<a class="button button-secondary" href="/settings/profile">Modifier le profil</a>');
    expect(out).not.toContain("/follow\"");
  });

  it("asks signed-out visitors to log in, coming back to the profile", () => {
    const out = render(h(ProfilePage, props({ viewer: null, relationship: null })));
    expect(out).toContain('href="/login?next=%2F%40lea%40lyon.acme.example">Se connecter pour suivre</a>');
    expect(out).not.toContain('action="/@lea@lyon.acme.example/follow"');
  });

  it("points remote accounts to their original profile", () => {
    const out = render(h(ProfilePage, props()));
    expect(out).toContain("Compte hébergé sur lyon.acme.example");
    expect(out).toContain('<a href="https://lyon.acme.example/@lea" rel="noopener noreferrer nofollow">Voir le profil d\'origine</a>');
  });

  it("lists followers and following when given", () => {
    const follower = { handle: "@omar@paris.acme.example", displayName: "Omar", avatarUrl: null, url: "/@omar" };
    const out = render(h(ProfilePage, props({ followers: [follower], following: [] })));
    expect(out).toContain('<h2 id="followers-title">Abonnés</h2>');
    expect(out).toContain('<a class="account-link" href="/@omar">');
    expect(out).toContain('<h2 id="following-title">Abonnements</h2>');
    expect(out).toContain("Personne pour l'instant.");
  });
});
