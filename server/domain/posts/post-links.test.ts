// A sibling's hashtags and mentions open pages here (issue #8 point 11), from the HTML Ruche and Mastodon send.
import { describe, expect, it } from "vitest";
import { sanitizeRemoteHtml } from "./html.ts";
import { localizePostLinks } from "./post-html.ts";

const paths = { tag: (t: string) => `/tags/${encodeURIComponent(t)}`, account: (m: { username: string; domain: string | null }) => m.domain ? `/@${m.username}@${m.domain}` : `/@${m.username}` };
const mentions = [
  { iri: "https://lyon.example/users/bob", url: "https://lyon.example/@bob", username: "bob", domain: "lyon.example" },
  { iri: "https://paris.example/users/alice", url: "https://paris.example/@alice", username: "alice", domain: null },
];
const localize = (html: string) => localizePostLinks(sanitizeRemoteHtml(html), { mentions }, paths);

describe("localizePostLinks", () => {
  it("sends a sibling's hashtags to the hashtag page here and its mentions to the profiles here", () => {
    const html = localize('<p>Budget <a href="https://lyon.example/tags/Budget_2027" class="mention hashtag" rel="tag">#<span>Budget_2027</span></a> '
      + 'avec <span class="h-card"><a href="https://lyon.example/@bob" class="u-url mention">@<span>bob</span></a></span> et '
      + '<span class="h-card"><a href="https://paris.example/@alice" class="u-url mention">@<span>alice</span></a></span></p>');
    expect(html).toBe('<p>Budget <a href="/tags/budget_2027" class="mention hashtag">#<span>Budget_2027</span></a> avec '
      + '<span class="h-card"><a href="/@bob@lyon.example" class="u-url mention">@<span>bob</span></a></span> et '
      + '<span class="h-card"><a href="/@alice" class="u-url mention">@<span>alice</span></a></span></p>');
  });

  it("matches a mention by its name when its link is another page of the account, and leaves other links alone", () => {
    expect(localize('<p><a href="https://lyon.example/profile/bob" class="u-url mention">@bob</a></p>')).toContain('href="/@bob@lyon.example"');
    // Not a mentioned account, not a hashtag, or a hashtag that is not one: untouched.
    for (const html of ['<p><a href="https://far.example/@zed" class="u-url mention">@zed</a></p>', '<p><a href="https://lyon.example/doc">doc</a></p>',
      '<p><a href="https://lyon.example/tags/x" class="hashtag">#1234</a></p>']) {
      expect(localize(html)).toBe(sanitizeRemoteHtml(html));
    }
  });

  it("never lets a crafted tag leave the site or break the markup", () => {
    const html = localize('<p><a href="https://evil.example" class="hashtag" rel="tag">#"&gt;&lt;script&gt;</a></p>');
    expect(html).not.toContain("<script");
    expect(html).toContain('href="https://evil.example"');
  });
});
