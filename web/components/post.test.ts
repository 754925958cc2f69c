import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { PostCard } from "./post.ts";
import { NOW, samplePost } from "./post-fixtures.ts";
import { csrfInput, postForms, textOf } from "./test-helpers.ts";

const card = (locale: "fr" | "en", over: Parameters<typeof samplePost>[0] = {}, variant?: "feed" | "focus") =>
  renderToString(h(PostCard, { locale, csrf: "tok-post", post: samplePost(over), returnTo: "/home", now: NOW, variant }));

describe("PostCard", () => {
  it("shows the author as text in <bdi>, the scope and a relative time linking to the thread", () => {
    const out = card("fr", { author: { ...samplePost().author, displayName: "<script>x</script>\u202Eevil" } });
    expect(out).toContain('<bdi class="display-name">&lt;script>x&lt;/script>\u202Eevil</bdi>');
    expect(out).not.toContain("<script>");
    expect(out).toContain("Groupe");
    expect(out).toContain('title="Les salariés de toutes les filiales du groupe"');
    expect(out).toMatch(/<a class="post-time" href="\/@alice\/101"><time datetime="2026-03-12T09:55:00.000Z"[^>]*>il y a 5\smin/);
    expect(card("en")).toMatch(/5 min\. ago/);
  });

  it("renders the sanitised body as HTML and nothing else", () => {
    const out = card("en");
    expect(out).toContain('<div class="post-content prose" lang="fr"><p>Bonjour <a href="https://paris.acme.example/tags/achats" class="hashtag" rel="tag">#achats</a></p></div>');
  });

  it("hides the body behind the content warning, in a <details> that works without JavaScript", () => {
    const fr = card("fr", { summary: "Spoiler : la fin du film", sensitive: true });
    const details = /<details class="post-cw">[\s\S]*<\/details>/.exec(fr)?.[0] ?? "";
    expect(details).toContain("Spoiler : la fin du film");
    expect(details).toContain("Afficher plus");
    expect(details).toContain("Bonjour");
    expect(details).not.toContain(" open");
    expect(card("en", { summary: "Spoiler" })).toContain("Show more");
  });

  it("gives every image its description as alt text, and says when there is none", () => {
    const out = card("en", {
      media: [
        { url: "/media/attachments/a.png", description: "A bee on lavender", width: 800, height: 600 },
        { url: "/media/attachments/b.png", description: "", width: null, height: null },
      ],
    });
    expect(out).toContain('alt="A bee on lavender"');
    expect(out).toContain('alt="Image without a description"');
    expect(out).toContain("post-media-2");
  });

  it("offers like, bookmark and the more menu as POST forms that carry the CSRF token and the way back", () => {
    const out = card("fr");
    const forms = postForms(out);
    expect(forms.length).toBeGreaterThanOrEqual(3);
    for (const f of forms) expect(f).toContain(csrfInput("tok-post"));
    const like = forms.find((f) => f.includes('action="/posts/101/like"'))!;
    expect(like).toContain('<input type="hidden" name="next" value="/home#post-101"/>');
    expect(like).toContain('aria-pressed="false"');
    expect(textOf(like)).toContain("Aimer");
    expect(textOf(like)).toContain("3");
    // Someone else's post: mute its author, no edit or delete.
    expect(out).toContain('action="/settings/mutes/accounts/7/mute"');
    expect(textOf(out)).toContain("Masquer \u2068Alice Martin\u2069");
    expect(out).not.toContain("/posts/101/delete");
  });

  it("turns the toggles around once done", () => {
    const out = card("en", { scope: "public", viewer: { liked: true, boosted: true, bookmarked: true, pinned: false } });
    expect(out).toMatch(/action="\/posts\/101\/unlike"[\s\S]*?aria-pressed="true"[\s\S]*?Remove like/);
    expect(out).toContain('action="/posts/101/unboost"');
    expect(out).toContain('action="/posts/101/unbookmark"');
  });

  it("offers to boost only what the server says may be boosted", () => {
    expect(card("en", { scope: "followers", boostable: false })).not.toContain("/posts/101/boost");
    expect(card("en", { scope: "followers", boostable: false })).toContain("Followers-only posts and direct messages cannot be boosted");
    expect(card("en", { scope: "internal", boostable: true })).toContain('action="/posts/101/boost"');
  });

  it("lets authors pin, edit and delete (after a confirmation) their own posts", () => {
    const out = card("en", { own: true });
    expect(out).toContain('action="/posts/101/pin"');
    expect(out).toContain('<a class="menu-item" href="/posts/101/edit">Edit</a>');
    expect(out).toMatch(/<details class="post-delete">[\s\S]*action="\/posts\/101\/delete"[\s\S]*Delete this post\? This cannot be undone\./);
    expect(out).not.toContain("/mute");
  });

  it("shows counts and no form to anonymous readers", () => {
    const out = card("en", { viewer: null, counts: { replies: 1, likes: 2, boosts: 0 } });
    expect(postForms(out)).toHaveLength(0);
    expect(textOf(out)).toContain("1 reply · 2 likes");
  });

  it("names who boosted it and which post it answers", () => {
    const out = card("fr", {
      key: "900", boostedBy: { id: "8", handle: "@bob@lyon.acme.example", displayName: "Bob", avatarUrl: null, url: "/@bob@lyon.acme.example" },
      replyTo: { path: "/posts/55", name: "@camille" },
    });
    expect(out).toContain('id="post-900"');
    expect(textOf(out)).toContain("Bob a partagé");
    expect(out).toMatch(/<a href="\/posts\/55">En réponse à <bdi>@camille<\/bdi><\/a>/);
  });

  it("writes the full date on the thread's main post", () => {
    expect(card("en", {}, "focus")).toContain("Thursday, March 12, 2026");
    expect(card("fr", {}, "focus")).toContain("jeudi 12 mars 2026");
  });
});
