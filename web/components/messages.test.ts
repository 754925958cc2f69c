// The messages' components: mentions the chat does not repeat, names lists, the pages in both languages (every
// POST form carries the CSRF token; unread and muted are said in words, not only shown).
import { h } from "preact";
import { describe, expect, it } from "vitest";
import { ConversationPage, MessagesPage, namesList, NewMessagePage, withoutLeadingMentions } from "./messages.ts";
import { NOW, samplePost } from "./post-fixtures.ts";
import { csrfInput, postForms, render } from "./test-helpers.ts";

const viewer = { username: "alice", displayName: "Alice", isAdmin: false };
const bob = { id: "8", handle: "@bob@paris.acme.example", displayName: "Bob Durand", avatarUrl: null, url: "/@bob" };
const carol = { id: "9", handle: "@carol@lyon.acme.example", displayName: "", avatarUrl: null, url: "/@carol@lyon.acme.example" };

describe("messages components", () => {
  it("drops the addressees' mentions a message starts with, not the ones in its text, nor a hashtag", () => {
    const local = '<p><a href="/@bob" class="u-url mention">@<span>bob</span></a> <span class="h-card" translate="no"><a href="https://lyon.example/@carol" class="u-url mention">@<span>carol</span></a></span> voir <a href="/@dan" class="u-url mention">@<span>dan</span></a></p>';
    expect(withoutLeadingMentions(local)).toBe('<p>voir <a href="/@dan" class="u-url mention">@<span>dan</span></a></p>');
    const tag = '<p><a href="/tags/x" class="mention hashtag" rel="tag">#<span>x</span></a> ok</p>';
    expect(withoutLeadingMentions(tag)).toBe(tag);
    expect(withoutLeadingMentions('<p><a href="/@bob" class="u-url mention">@<span>bob</span></a></p>')).toBe("");
  });

  it("names lists read as people write them", () => {
    expect(namesList("fr", ["Bob"])).toBe("Bob");
    expect(namesList("fr", ["Bob", "Carol", "Dan"])).toBe("Bob, Carol et Dan");
    expect(namesList("en", ["Bob", "Carol"])).toBe("Bob and Carol");
  });

  for (const locale of ["fr", "en"] as const) {
    it(`renders the list, a conversation and the new-message form in ${locale}`, () => {
      const last = samplePost({ id: "12", author: bob, contentHtml: '<p><a href="/@alice" class="u-url mention">@<span>alice</span></a> le devis &amp; le reste</p>' });
      const list = render(h(MessagesPage, {
        locale, csrf: "tok", viewer, now: NOW, olderHref: null,
        items: [{ id: "3", others: [bob, carol], last, unread: true, muted: true }],
      }));
      expect(list).toContain(locale === "fr" ? "Nouveau" : "New");
      expect(list).toContain(locale === "fr" ? "En sourdine" : "Muted");
      expect(list).toContain("le devis &amp; le reste");
      expect(list).not.toContain("@<span>alice");
      expect(list).toContain('href="/messages/3"');
      const mine = render(h(MessagesPage, {
        locale, csrf: "tok", viewer, now: NOW, olderHref: null,
        items: [{ id: "4", others: [bob], last: samplePost({ id: "14", author: { ...bob, id: "1" }, contentHtml: "<p>envoyé</p>" }), unread: false, muted: false }],
      }));
      expect(mine).toContain(locale === "fr" ? "Vous\u00a0: </span>envoyé" : "You: </span>envoyé");

      const own = samplePost({ id: "13", author: { ...bob, id: "1", displayName: "Alice" }, contentHtml: "<p>merci</p>" });
      const chat = render(h(ConversationPage, {
        locale, csrf: "tok", viewer, now: NOW, viewerId: "1", olderHref: "/messages/3?max_id=12",
        conversation: { id: "3", others: [bob, carol], muted: false }, messages: [last, own],
      }));
      expect(chat).toContain('class="message message-own" id="message-13"');
      expect(chat).toContain('role="log"');
      expect(chat).toContain(locale === "fr" ? "Conversation avec Bob Durand et carol" : "Conversation with Bob Durand and carol");
      for (const form of postForms(chat)) expect(form).toContain(csrfInput("tok"));
      expect(postForms(chat).map((f) => /action="([^"]+)"/.exec(f)?.[1]).filter((a) => a?.startsWith("/messages"))).toEqual(["/messages/3/mute", "/messages/3/hide", "/messages/3/leave", "/messages/3"]);

      const form = render(h(NewMessagePage, { locale, csrf: "tok", viewer, book: [{ handle: "bob@paris.acme.example", name: "Bob" }], values: { to: "bob", text: "" }, errors: ["x"] }));
      expect(form).toContain('<option value="bob@paris.acme.example">Bob</option>');
      expect(form).toContain('enctype="multipart/form-data"');
      expect(form).toContain('role="alert"');
    });
  }
});
