// Issue #8 point 2: form bodies are nested as Mastodon (Rails/Rack) nests them, so a poll, media ids or a marker sent
// as form fields means what it means in JSON — and what Ruche cannot honour is refused alike, never stored without
// the part it dropped. masto.js sends multipart with indexed keys (`poll[options][0]`); Tusky and Mastodon.py send
// urlencoded bodies with `poll[options][]` (sent here with fetch, byte for byte what they send).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { nestParams } from "./params.ts";

/** A 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC", "base64"));

describe("form-encoded Mastodon requests (issue #8 point 2)", () => {
  let paris: TestInstance;
  let alice: mastodon.rest.Client, token: string, aliceId: string;
  const form = (path: string, body: string, method = "POST") => fetch(`${paris.origin}${path}`, {
    method, body, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" },
  });
  const postCount = async () => (await paris.db.sql`SELECT count(*)::int AS n FROM posts WHERE account_id = ${aliceId}`)[0].n as number;

  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    const user = await paris.createUser("alice");
    token = user.token;
    aliceId = user.account.id;
    alice = createRestAPIClient({ url: paris.origin, accessToken: token });
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("nests keys as Rack does", () => {
    expect(nestParams([
      ["status", "x"], ["poll[options][]", "Oui"], ["poll[options][]", "Non"], ["poll[expires_in]", "3600"],
      ["media_ids[]", "1"], ["a[][b]", "1"], ["a[][c]", "2"], ["a[][b]", "3"], ["f[1][name]", "B"], ["f[0][name]", "A"],
    ])).toEqual({
      status: "x", poll: { options: ["Oui", "Non"], expires_in: "3600" }, media_ids: ["1"],
      a: [{ b: "1", c: "2" }, { b: "3" }], f: [{ name: "A" }, { name: "B" }],
    });
    expect(() => nestParams([["a", "1"], ["a[b]", "2"]])).toThrow(/a\[b\] is given both as a value and as a group/);
    expect(Object.getPrototypeOf(nestParams([["__proto__[polluted]", "1"]]))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a poll is read alike from JSON, multipart and urlencoded bodies; a bad one gets the same 422 and no post is stored", async () => {
    const poll = { options: ["Oui", "Non"], expiresIn: 3600, multiple: true };
    // masto.js's own multipart encoding (what it uses for uploads), chosen per request.
    const multipartMeta = { encoding: "multipart-form" } as unknown as { encoding: "json" };
    const json = await alice.v1.statuses.create({ status: "Sondage ?", poll });
    const multipart = await alice.v1.statuses.create({ status: "Sondage ?", poll }, multipartMeta);
    const urlencoded = await form("/api/v1/statuses", "status=Sondage+%3F&poll[options][]=Oui&poll[options][]=Non&poll[expires_in]=3600&poll[multiple]=true");
    expect(urlencoded.status).toBe(200);
    const fromForm = (await urlencoded.json()) as { poll: { multiple: boolean; options: { title: string }[] } };
    for (const p of [json.poll!, multipart.poll!, fromForm.poll]) {
      expect(p.multiple).toBe(true);
      expect(p.options.map((o) => o.title)).toEqual(["Oui", "Non"]);
    }

    const before = await postCount();
    const bad = { options: ["Seule"], expiresIn: 3600 };
    const jsonError = await alice.v1.statuses.create({ status: "Sondage ?", poll: bad }).then(() => null, (e: unknown) => e as { statusCode: number; message: string });
    const multipartError = await alice.v1.statuses.create({ status: "Sondage ?", poll: bad }, multipartMeta)
      .then(() => null, (e: unknown) => e as { statusCode: number; message: string });
    const formError = await form("/api/v1/statuses", "status=Sondage+%3F&poll[options][]=Seule&poll[expires_in]=3600");
    expect(jsonError).toMatchObject({ statusCode: 422, message: "Validation failed: Poll needs at least 2 options" });
    expect(multipartError).toMatchObject({ statusCode: 422, message: jsonError!.message });
    expect(formError.status).toBe(422);
    expect(((await formError.json()) as { error: string }).error).toBe(jsonError!.message);
    expect(await postCount()).toBe(before);
    // `poll: null` means no poll, as some clients send it.
    expect((await alice.v1.statuses.create({ status: "Sans sondage", poll: null } as unknown as { status: string })).content).toContain("Sans sondage");
  });

  it("media_ids[] (urlencoded) and media_ids[0] (masto multipart) attach the image", async () => {
    const media = await alice.v2.media.create({ file: new Blob([PNG as BlobPart], { type: "image/png" }), description: "Carré" });
    const res = await form("/api/v1/statuses", `status=Photo&visibility=public&media_ids[]=${media.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { media_attachments: { id: string }[] }).media_attachments.map((m) => m.id)).toEqual([media.id]);
    const other = await alice.v2.media.create({ file: new Blob([PNG as BlobPart], { type: "image/png" }) });
    const post = await alice.v1.statuses.create({ status: "Photo 2", mediaIds: [other.id] }, { encoding: "multipart-form" } as unknown as { encoding: "json" });
    expect(post.mediaAttachments.map((m) => m.id)).toEqual([other.id]);
  });

  it("an edit with a poll or media attributes is refused, not applied without them", async () => {
    const post = await alice.v1.statuses.create({ status: "Avant" });
    const poll = await form(`/api/v1/statuses/${post.id}`, "status=Apr%C3%A8s&poll[options][]=A&poll[options][]=B&poll[expires_in]=600", "PUT");
    expect(poll.status).toBe(422);
    const attrs = await form(`/api/v1/statuses/${post.id}`, "status=Apr%C3%A8s&media_attributes[][id]=1&media_attributes[][description]=x", "PUT");
    expect(attrs.status).toBe(422);
    expect((await attrs.json() as { error: string }).error).toMatch(/media attributes/);
    expect((await alice.v1.statuses.$select(post.id).source.fetch()).text).toBe("Avant");
  });

  it("a marker sent as home[last_read_id] is stored; a key both value and group is a 400", async () => {
    const post = await alice.v1.statuses.create({ status: "Lu" });
    const res = await form("/api/v1/markers", `home[last_read_id]=${post.id}`);
    expect(res.status).toBe(200);
    expect((await alice.v1.markers.fetch({ timeline: ["home"] })).home?.lastReadId).toBe(post.id);
    const bad = await form("/api/v1/statuses", "status=a&status[x]=b");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/status\[x\] is given both as a value and as a group/), error_code: "bad_request" });
  });
});
