// The issue #4 pages in both languages: one h1, no unfilled {placeholder}, the CSRF token in every POST form,
// plus what each page must say.
import { h } from "preact";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { describe, expect, it } from "vitest";
import { locales, type Locale } from "../i18n/index.ts";
import { HashtagPage } from "./hashtag.ts";
import { MutesPage } from "./mutes.ts";
import { NotificationsFragment, NotificationsPage, type NotificationItem } from "./notifications.ts";
import { ComposePage } from "./post-edit.ts";
import { NOW, samplePost } from "./post-fixtures.ts";
import { ThreadPage } from "./thread.ts";
import { PostListFragment, TimelinePage } from "./timeline.ts";
import { csrfInput, postForms, render, textOf } from "./test-helpers.ts";

const csrf = "tok-tl";
const viewer = { username: "alice", displayName: "Alice", isAdmin: false };
const limits = { text: 5000, summary: 500 };
const more = { href: "/home?max_id=90", fragment: "/home/more?max_id=90" };
const lea = { id: "8", handle: "@lea@lyon.acme.example", displayName: "Léa", avatarUrl: null, url: "/@lea@lyon.acme.example" };

function notifications(): NotificationItem[] {
  return [
    { id: "3", type: "reply", from: lea, createdAt: NOW, unread: true, post: samplePost({ key: "201", id: "201", author: lea, replyTo: { path: "/posts/101", name: "@alice" } }) },
    { id: "2", type: "favourite", from: lea, createdAt: NOW, unread: false, post: samplePost({ summary: "Secret plans", own: true }) },
    { id: "1", type: "follow", from: lea, createdAt: NOW, unread: false, post: null },
  ];
}

function pages(locale: Locale): Record<string, VNode<any>> {
  const base = { locale, csrf, viewer, now: NOW, instanceName: "Paris" };
  return {
    home: h(TimelinePage, { ...base, kind: "home", path: "/", items: [samplePost()], more, composer: { returnTo: "/", limits }, scripts: ["/static/islands/composer.js?v=1"] }),
    local: h(TimelinePage, { ...base, kind: "local", path: "/local", items: [], more: null }),
    group: h(TimelinePage, { ...base, kind: "group", path: "/group", items: [samplePost({ scope: "public" })], more: null }),
    thread: h(ThreadPage, {
      ...base, path: "/@alice/101", post: samplePost(), ancestors: [samplePost({ key: "100", id: "100" })],
      descendants: [samplePost({ key: "102", id: "102", author: lea })], composer: { returnTo: "/@alice/101", limits, replyTo: { id: "101", name: "Alice" }, idPrefix: "reply" },
    }),
    notifications: h(NotificationsPage, { ...base, path: "/notifications", items: notifications(), more: null }),
    hashtag: h(HashtagPage, { ...base, path: "/tags/achats", tag: "achats", following: false, uses: { posts: 4, people: 2 }, items: [samplePost()], more: null }),
    mutes: h(MutesPage, {
      ...base, path: "/settings/mutes", words: [{ id: "1", phrase: "réorg", wholeWord: true }], accounts: [{ ...lea }],
      blocked: [{ ...lea, id: "9", displayName: "Bruno" }], followedTags: ["achats"],
    }),
    compose: h(ComposePage, { ...base, path: "/posts/new", composer: { returnTo: "/", limits, errors: ["x"] } }),
  };
}

describe.each(locales)("issue #4 pages in %s", (locale) => {
  for (const [name, vnode] of Object.entries(pages(locale))) {
    it(`${name}: one h1, no unfilled placeholder, the CSRF token in every POST form`, () => {
      const out = render(vnode);
      expect(out.startsWith(`<!doctype html><html lang="${locale}">`)).toBe(true);
      expect(out.match(/<h1\b/g)).toHaveLength(1);
      expect(out).not.toMatch(/\{\w+\}/);
      for (const form of postForms(out)) expect(form).toContain(csrfInput(csrf));
    });
  }
});

describe("timeline pages", () => {
  it("puts the composer on the home timeline and ends the list with a link the island can fetch", () => {
    const out = render(pages("fr").home);
    expect(out).toContain("Fil d'accueil");
    expect(out).toContain('action="/posts"');
    expect(out).toContain('<ol class="feed" id="feed" data-feed="true">');
    expect(out).toContain('<div class="feed-more" data-more-for="feed"><a class="button button-secondary" href="/home?max_id=90" data-fragment="/home/more?max_id=90" rel="next">Messages plus anciens</a></div>');
    expect(out).toContain('<script type="module" src="/static/islands/composer.js?v=1"></script>');
  });

  it("marks the current timeline in the navigation and says when a list is empty", () => {
    const out = render(pages("en").local);
    expect(out).toMatch(/<a href="\/local" aria-current="page" data-section="local">.*<span class="nav-label">Subsidiary<\/span><\/a>/);
    expect(out).toContain("Posts from Paris");
    expect(out).toContain("Nothing here yet.");
    expect(out).not.toContain("data-feed");
  });

  it("answers the next page as a fragment: items and the following link, no page around them", () => {
    const out = renderToString(h(PostListFragment, { locale: "en", csrf, items: [samplePost()], returnTo: "/home?max_id=90", more, now: NOW }));
    expect(out.startsWith("<div><ol data-feed=\"true\"><li")).toBe(true);
    expect(out).not.toContain("<html");
    expect(out).toContain('data-more-for="feed"');
    const last = renderToString(h(PostListFragment, { locale: "en", csrf, items: [], returnTo: "/home", more: null }));
    expect(last).toContain("You have reached the end.");
  });

  it("shows the unread count beside Notifications", () => {
    const out = render(h(TimelinePage, { locale: "fr", csrf, viewer, kind: "group", items: [], more: null, unreadNotifications: 3 }));
    expect(out).toMatch(/<a href="\/notifications" data-section="notifications">.*<span class="nav-label">Notifications<\/span><span class="nav-count"> <span aria-hidden="true">3<\/span><span class="visually-hidden">\(3 notifications non lues\)<\/span><\/span><\/a>/);
  });
});

describe("thread page", () => {
  it("shows the ancestors, the post with its full date, the reply form and the replies", () => {
    const out = render(pages("en").thread);
    const order = ["post-100", "post-101", 'id="reply"', "post-102"].map((s) => out.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toContain("post post-focus");
    expect(out).toContain('name="inReplyToId" value="101"');
    expect(textOf(out)).toContain("Replies");
  });
});

describe("notifications page", () => {
  it("says who did what, marks the new ones and keeps content warnings closed in excerpts", () => {
    const out = render(pages("fr").notifications);
    const text = textOf(out);
    expect(text).toContain("Léa a répondu à votre message");
    expect(text).toContain("Léa a aimé votre message");
    expect(text).toContain("Léa vous suit");
    expect(out.match(/notification-unread/g)).toHaveLength(1);
    expect(text).toContain("Nouveau");
    // The liked post had a content warning: its line is shown, not the text behind it.
    const liked = /<div class="notification notification-favourite"[\s\S]*?<\/div>/.exec(out)![0];
    expect(liked).toContain("Secret plans");
    expect(liked).not.toContain("Bonjour");
    // A reply comes with the whole post, to answer or like it right there.
    expect(out).toContain('action="/posts/201/like"');
  });

  it("has a fragment for infinite scroll", () => {
    const out = renderToString(h(NotificationsFragment, { locale: "en", csrf, items: notifications(), more: { href: "/notifications?max_id=1", fragment: "/notifications/more?max_id=1" }, returnTo: "/notifications" }));
    expect(out).toContain('data-more-for="notifications"');
    expect(out).toContain("Older notifications");
  });
});

describe("hashtag and mutes pages", () => {
  it("offers to follow a hashtag and counts its week", () => {
    const out = render(pages("en").hashtag);
    expect(out).toContain("#achats");
    expect(textOf(out)).toContain("4 posts this week by 2 people");
    expect(out).toMatch(/action="\/tags\/achats\/follow"[\s\S]*?Follow hashtag/);
  });

  it("lists muted words, muted and blocked people with a way to undo each", () => {
    const out = render(pages("fr").mutes);
    expect(out).toContain('action="/settings/mutes/words"');
    expect(out).toContain('aria-label="Ne plus masquer « \u2068réorg\u2069 »"');
    expect(out).toContain('action="/settings/mutes/words/1/delete"');
    expect(out).toContain('action="/settings/mutes/accounts/8/unmute"');
    expect(out).toContain('<h2 id="blocked-title">Personnes bloquées</h2>');
    expect(out).toContain('action="/settings/mutes/accounts/9/unblock"');
    expect(out).toContain('aria-label="Débloquer \u2068Bruno\u2069"');
    expect(out).toContain('action="/tags/achats/unfollow"');
  });
});

describe("posts on a profile", () => {
  it("fills the profile's posts slot: pinned first, then the latest without repeating them", async () => {
    const { ProfilePage } = await import("./profile.ts");
    const { AccountPosts } = await import("./post-profile.ts");
    const pinned = samplePost({ key: "7", id: "7", contentHtml: "<p>Épinglé ici</p>", own: true, viewer: { liked: false, boosted: false, bookmarked: false, pinned: true } });
    const out = render(h(ProfilePage, {
      locale: "fr", csrf, viewer,
      account: {
        id: "7", username: "alice", handle: "@alice@paris.acme.example", displayName: "Alice", bioHtml: "", avatarUrl: null, headerUrl: null,
        locked: false, isLocal: true, url: "https://paris.acme.example/@alice", followersCount: 0, followingCount: 0, createdAt: NOW,
      },
      relationship: { self: true, following: false, requested: false, followedBy: false },
      followAction: "/@alice/follow", unfollowAction: "/@alice/unfollow",
      posts: h(AccountPosts, { locale: "fr", csrf, pinned: [pinned], items: [pinned, samplePost()], more: null, returnTo: "/@alice", now: NOW }),
    }));
    expect(out).toContain('<h2 id="account-posts-title">Messages</h2>');
    expect(out.indexOf("Épinglé ici")).toBeLessThan(out.indexOf("Bonjour"));
    expect(out.match(/Épinglé ici/g)).toHaveLength(1);
    expect(out).toContain('action="/posts/7/unpin"');
  });
});
