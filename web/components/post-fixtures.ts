// Sample posts for the component tests.
import type { PostItem } from "./post.ts";

export const NOW = new Date("2026-03-12T10:00:00Z");

export function samplePost(over: Partial<PostItem> = {}): PostItem {
  return {
    key: "101",
    id: "101",
    path: "/@alice/101",
    remoteUrl: null,
    author: { id: "7", handle: "@alice@paris.acme.example", displayName: "Alice Martin", avatarUrl: null, url: "/@alice" },
    scope: "internal",
    contentHtml: '<p>Bonjour <a href="https://paris.acme.example/tags/achats" class="hashtag" rel="tag">#achats</a></p>',
    summary: "",
    sensitive: false,
    language: "fr",
    createdAt: new Date("2026-03-12T09:55:00Z"),
    editedAt: null,
    media: [],
    poll: null,
    counts: { replies: 2, likes: 3, boosts: 0 },
    viewer: { liked: false, boosted: false, bookmarked: false, pinned: false },
    own: false,
    replyTo: null,
    boostable: true,
    boostedBy: null,
    ...over,
  };
}
