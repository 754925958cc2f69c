// WebTV videos across instances (issue #13 §4): a Paris video is a post that federates as a PeerTube-shaped
// `Video` through the post outbox. An internal video reaches Lyon (a sibling) and shows in its group timeline,
// never the outsider; a public one is fetched as a Video by a foreign server; the Update sent when the ladder is
// ready lists the rungs; deleting the video deletes it on Lyon.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, followAcross, signedFetchStatus, startTestInstance, type TestInstance } from "../test/instance.ts";
import { makeClip, uploadVideo, videoInState } from "../test/video-clips.ts";
import { loadPost, postIdByIri } from "../server/domain/posts/post-views.ts";
import { groupTimeline } from "../server/domain/timelines/timelines.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";

describe("WebTV videos across instances", () => {
  let paris: TestInstance, lyon: TestInstance, outsider: TestInstance, work: string, clip: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "ruche-webtv-fed-"));
    [paris, lyon, outsider, clip] = await Promise.all([
      startTestInstance({ name: "Paris", federation: "open" }),
      startTestInstance({ name: "Lyon" }),
      startTestInstance({ name: "Outsider", federation: "open" }),
      makeClip(work, "demo.mp4", { width: 640, height: 360, seconds: 3 }),
    ]);
    await paris.addSibling(lyon.origin);
    await lyon.addSibling(paris.origin);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), outsider?.close()]);
    await rm(work, { recursive: true, force: true });
  });

  it("an internal video reaches the sibling's timeline as a Video, the ladder follows, and its deletion too", { timeout: 180_000 }, async () => {
    const alice = await paris.createUser("alice", { displayName: "Alice" });
    const olga = await outsider.createUser("olga");
    await followAcross(outsider, olga.account.id, paris, "alice");
    const video = await uploadVideo(paris.url, alice.token, clip, { title: "Démo trimestrielle", description: "Le projet en trois minutes", visibility: "internal" });
    const iri = `${paris.origin}/ap/note/${video.status_id}`;
    const onLyon = await eventually(() => postIdByIri(lyon.db.sql, iri), 30_000, "the video on Lyon");
    const zoe = await lyon.createUser("zoe");
    const timeline = await groupTimeline(lyon.db.sql, localViewer(zoe.account.id), lyon.instance.data.siblings.list());
    const item = timeline.items.find((p) => p.iri === iri)!;
    expect([item.visibility, item.url]).toEqual(["internal", `${paris.origin}/webtv/${video.id}`]);
    expect(item.contentHtml).toContain("Démo trimestrielle");
    expect(item.contentHtml).toContain(`${paris.origin}/webtv/${video.id}`);
    // The sibling may fetch the object (signed), the outsider may not, and never received it.
    expect(await signedFetchStatus(lyon, iri)).toBe(200);
    expect(await signedFetchStatus(outsider, iri)).toBe(403);
    await videoInState(paris.url, alice.token, video.id, "ready");
    // When the ladder is ready an Update(Video) goes out: Lyon's copy is refreshed (edited_at set by the Update).
    await eventually(async () => (await loadPost(lyon.db.sql, onLyon, localViewer(zoe.account.id)))?.editedAt ?? null, 30_000, "the Update on Lyon");
    expect(await postIdByIri(outsider.db.sql, iri)).toBeNull();

    const del = await fetch(`${paris.url}/api/ruche/v1/videos/${video.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${alice.token}` } });
    expect(del.status).toBe(200);
    await eventually(async () => ((await postIdByIri(lyon.db.sql, iri)) == null ? true : null), 30_000, "the deletion on Lyon");
    expect((await fetch(`${paris.url}/webtv/files/${video.id}/master.m3u8`, { headers: { Authorization: `Bearer ${alice.token}` } })).status).toBe(404);
  });

  it("a public video is fetched as a PeerTube-shaped Video by a foreign server", { timeout: 180_000 }, async () => {
    const bob = await paris.createUser("bob");
    const video = await uploadVideo(paris.url, bob.token, clip, { title: "Portes ouvertes", visibility: "public" });
    await videoInState(paris.url, bob.token, video.id, "ready");
    const iri = `${paris.origin}/ap/note/${video.status_id}`;
    const res = await fetch(iri, { headers: { Accept: "application/activity+json" } });
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json).toMatchObject({
      type: "Video", id: iri, name: "Portes ouvertes", duration: "PT3S", attributedTo: `${paris.origin}/users/bob`,
      to: "as:Public",
      icon: { type: "Image", mediaType: "image/jpeg", url: `${paris.origin}/webtv/files/${video.id}/poster.jpg` },
    });
    // The watch page first (Mastodon's link card), then the HLS master, then each rung with its size.
    expect(json.url).toEqual([
      { type: "Link", href: `${paris.origin}/webtv/${video.id}`, mediaType: "text/html" },
      { type: "Link", href: `${paris.origin}/webtv/files/${video.id}/master.m3u8`, mediaType: "application/x-mpegURL" },
      { type: "Link", href: `${paris.origin}/webtv/files/${video.id}/240/index.m3u8`, mediaType: "application/x-mpegURL", width: 426, height: 240 },
      { type: "Link", href: `${paris.origin}/webtv/files/${video.id}/360/index.m3u8`, mediaType: "application/x-mpegURL", width: 640, height: 360 },
    ]);
    // And the foreign server that follows bob stores it as a post with the watch link.
    const olga = await outsider.createUser("olga2");
    await followAcross(outsider, olga.account.id, paris, "bob");
    const second = await uploadVideo(paris.url, bob.token, clip, { title: "Deuxième", visibility: "public" });
    const there = await eventually(() => postIdByIri(outsider.db.sql, `${paris.origin}/ap/note/${second.status_id}`), 30_000, "the public video outside");
    expect(there).toBeTruthy();
  });
});
