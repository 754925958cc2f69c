// A post that carries a WebTV video is federated as a PeerTube-shaped `Video` (activitypub-shapes.md §2.5): name,
// ISO 8601 duration, the post's HTML as content, the poster as icon, and a `url` array whose first Link is the
// text/html watch page (Mastodon renders that as the link card), then the HLS master playlist
// (`application/x-mpegURL`) and one Link per rung with its size. The id, addressing and everything else are the
// post's (note.ts), so Create/Update/Delete travel through the post outbox and the audience rule decides who gets it.
// Deviations from PeerTube, for now: the rungs are top-level Links (Fedify's Link has no `tag`), and there is no
// channel `Group` in attributedTo (WebTV channels are not built yet; PeerTube itself needs one to mirror a video).
import { Temporal } from "@js-temporal/polyfill";
import { type Event, Image, Link, type Note, type Question, Video } from "@fedify/vocab";
import type { PostView } from "../../server/domain/posts/post-views.ts";
import { findVideoOfPost, type VideoView, watchPath } from "../../server/domain/videos/videos.ts";
import type { Ctx } from "../context.ts";
import { addressing, postToNote } from "./note.ts";

const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()) as never;

export function postToVideo(ctx: Ctx, post: PostView, video: VideoView): Video {
  const origin = ctx.canonicalOrigin;
  const { to, cc } = addressing(origin, post.account.iri, post.visibility, post.mentions.map((m) => m.iri), post.group?.iri ?? null);
  const files = `${origin}/webtv/files/${video.id}`;
  const ready = video.rungs.filter((r) => r.state === "ready");
  return new Video({
    id: new URL(post.iri),
    attribution: new URL(post.account.iri),
    name: video.title,
    content: post.contentHtml,
    summary: post.summary || null,
    sensitive: post.sensitive,
    duration: Temporal.Duration.from({ seconds: Math.max(1, Math.round(video.durationS)) }) as never,
    published: instant(post.createdAt),
    // The ready rungs change the object: each change has its own time, so its Update has its own id.
    updated: instant(post.editedAt && post.editedAt > video.updatedAt ? post.editedAt : video.updatedAt),
    audience: post.group ? new URL(post.group.iri) : null,
    tos: to,
    ccs: cc,
    icons: [new Image({ url: new URL(`${files}/poster.jpg`), mediaType: "image/jpeg" })],
    urls: [
      new Link({ href: new URL(`${origin}${watchPath(video.id)}`), mediaType: "text/html" }),
      new Link({ href: new URL(`${files}/master.m3u8`), mediaType: "application/x-mpegURL" }),
      ...ready.map((r) => new Link({ href: new URL(`${files}/${r.label}/index.m3u8`), mediaType: "application/x-mpegURL", width: r.width, height: r.height })),
    ],
  });
}

/** A local post's ActivityPub object: a Video when it carries one, else its Note, Question or Event (postToNote). */
export async function postObject(ctx: Ctx, post: PostView): Promise<Note | Question | Video | Event> {
  const video = await findVideoOfPost(ctx.data.sql, post.id);
  return video && video.state !== "failed" ? postToVideo(ctx, post, video) : postToNote(ctx, post);
}
