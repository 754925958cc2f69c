// A hashtag is only as visible as the posts that carry it (issue #8 point 30): search, the Mastodon tag entity and
// the hashtag page count and find only posts the reader may read. An open-mode instance, so signed-out visitors and
// token-less API calls are served too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../test/instance.ts";
import { createPost } from "../domain/posts/posts.ts";

describe("hashtags used only where the reader cannot see", () => {
  let paris: TestInstance;
  let dora: string, eve: string;
  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris", federation: "open" });
    const alice = await paris.createUser("alice");
    dora = (await paris.createUser("dora")).token;
    eve = (await paris.createUser("eve")).token;
    await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "@dora le dossier #projetsecret avance", visibility: "direct" });
    await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Entre collègues : #budgetinterne", visibility: "internal" });
    await createPost(paris.db.sql, paris.origin, alice.account.id, { text: "Ouvert à tous : #portesouvertes", visibility: "public" });
  });
  afterAll(async () => {
    await paris?.close();
  });

  const get = async (path: string, token?: string) => {
    const res = await fetch(`${paris.origin}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
    expect(res.status).toBe(200);
    return await res.json() as any;
  };
  const uses = (tag: any) => tag.history.reduce((n: number, d: any) => n + Number(d.uses), 0);

  it("are found and counted by the people mentioned only", async () => {
    const search = (q: string, token?: string) => get(`/api/v2/search?type=hashtags&q=${q}`, token);
    // Signed out, and an employee the message was not sent to: the hashtag does not exist for them.
    expect((await search("projetsecret")).hashtags).toEqual([]);
    expect((await search("projet", eve)).hashtags).toEqual([]);
    expect(uses(await get("/api/v1/tags/projetsecret"))).toBe(0);
    expect(uses(await get("/api/v1/tags/projetsecret", eve))).toBe(0);
    // The person mentioned finds it, counted once.
    const found = (await search("projet", dora)).hashtags;
    expect(found.map((t: any) => t.name)).toEqual(["projetsecret"]);
    expect(uses(found[0])).toBe(1);
    expect(uses(await get("/api/v1/tags/projetsecret", dora))).toBe(1);
    // An internal post's hashtag is the employees' business, not a signed-out visitor's.
    expect((await search("budget")).hashtags).toEqual([]);
    expect(uses(await get("/api/v1/tags/budgetinterne"))).toBe(0);
    expect(uses((await search("budget", eve)).hashtags[0])).toBe(1);
    // A public hashtag is found and counted by anyone.
    const open = (await search("portes")).hashtags;
    expect(open.map((t: any) => t.name)).toEqual(["portesouvertes"]);
    expect(uses(open[0])).toBe(1);
  });

  it("show no uses on the hashtag page of a signed-out visitor", async () => {
    const page = async (tag: string) => {
      const res = await fetch(`${paris.origin}/tags/${tag}`, { headers: { Accept: "text/html", "Accept-Language": "fr" } });
      expect(res.status).toBe(200);
      return /class="tag-uses">([^<]*)</.exec(await res.text())?.[1];
    };
    expect(await page("projetsecret")).toBe("0 message cette semaine");
    expect(await page("budgetinterne")).toBe("0 message cette semaine");
    expect(await page("portesouvertes")).toBe("1 message cette semaine par 1 personne");
  });
});
