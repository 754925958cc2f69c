// Issue #8 point 32: a post's images are readable by the post's readers only, and go with the post when it is
// deleted. Public posts' images stay public and immutable; others' are `private` and 404 to anyone else.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../test/instance.ts";
import { saveAttachment } from "../domain/posts/post-media.ts";
import { createPost, deletePost, editPost } from "../domain/posts/posts.ts";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

describe("post images follow their post's audience", () => {
  let paris: TestInstance;
  let alice: Awaited<ReturnType<TestInstance["createUser"]>>, bob: Awaited<ReturnType<TestInstance["createUser"]>>;
  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    alice = await paris.createUser("alice");
    bob = await paris.createUser("bob");
  });
  afterAll(async () => {
    await paris?.close();
  });

  async function postWithImage(visibility: "public" | "followers") {
    const media = await saveAttachment(paris.db.sql, paris.dataDir, alice.account.id, new Uint8Array(PNG));
    const post = await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Photo", visibility, mediaIds: [media.id] });
    return { post, url: media.url, file: join(paris.dataDir, media.url) };
  }
  const get = (url: string, token?: string) => fetch(`${paris.origin}${url}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it("a followers-only post's image: private for its author, 404 for a non-follower and for anyone unsigned", async () => {
    const { url } = await postWithImage("followers");
    const own = await get(url, alice.token);
    expect([own.status, own.headers.get("cache-control"), own.headers.get("content-type")]).toEqual([200, "private, max-age=3600", "image/png"]);
    expect((await get(url, bob.token)).status).toBe(404);
    expect((await get(url)).status).toBe(404);
  });

  it("a public post's image stays public and immutable", async () => {
    const { url } = await postWithImage("public");
    const res = await get(url);
    expect([res.status, res.headers.get("cache-control")]).toEqual([200, "public, max-age=31536000, immutable"]);
  });

  it("deleting a non-public post deletes its image: the URL answers 404, the file is gone", async () => {
    const { post, url, file } = await postWithImage("followers");
    expect((await get(url, alice.token)).status).toBe(200);
    expect(existsSync(file)).toBe(true);
    await deletePost(paris.db.sql, post.id, alice.account.id, paris.dataDir);
    expect(existsSync(file)).toBe(false);
    expect((await get(url, alice.token)).status).toBe(404);
  });

  it("a fresh upload is readable by its URL (apps preview it); once an edit removes it from a post, by its uploader only", async () => {
    const { post, url } = await postWithImage("followers");
    const other = await saveAttachment(paris.db.sql, paris.dataDir, alice.account.id, new Uint8Array(PNG));
    const fresh = await get(other.url);
    expect([fresh.status, fresh.headers.get("cache-control")]).toEqual([200, "private, max-age=3600"]);
    await editPost(paris.db.sql, paris.origin, post.id, alice.account.id, { mediaIds: [other.id] });
    expect((await get(url, alice.token)).status).toBe(200);
    expect((await get(url, bob.token)).status).toBe(404);
    expect((await get(url)).status).toBe(404);
  });
});
