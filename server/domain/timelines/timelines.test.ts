// The home timeline's fast path (a window scan) and its exact fallback (per-followee probes) must return the same
// pages; muted people and words never show, whatever page they would fall on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser } from "../accounts/accounts.ts";
import { follow } from "../follows/follows.ts";
import { followTag } from "../posts/hashtags.ts";
import { homeReaders, homeTimelineIds } from "./home-timeline.ts";
import { muteAccount, muteWord, unmuteWord } from "./mutes.ts";
import { createPost } from "../posts/posts.ts";
import { groupTimeline, homeTimeline, localTimeline, onlyPost } from "./timelines.ts";
import { boost } from "../posts/interactions.ts";
import { block } from "../blocks/blocks.ts";
import { ANONYMOUS, localViewer } from "../audience/visibility.ts";

const ORIGIN = "https://paris.example";

describe("home timeline", () => {
  let db: TestDatabase;
  let viewer: LocalUser, ann: LocalUser, ben: LocalUser, stranger: LocalUser;
  const expected: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    [viewer, ann, ben, stranger] = await Promise.all(["viewer", "ann", "ben", "stranger"]
      .map((u) => createLocalUser(db.sql, ORIGIN, { username: u })));
    await follow(db.sql, ORIGIN, viewer.account.id, ann.account.id);
    await follow(db.sql, ORIGIN, viewer.account.id, ben.account.id);
    await followTag(db.sql, viewer.account.id, "ruche");
    // 60 posts: followees' posts sparse among a stranger's, a few the viewer must see through a hashtag, one direct
    // message between others (never shown), one muted word.
    for (let i = 0; i < 60; i++) {
      const author = i % 7 === 0 ? ann : i % 11 === 0 ? ben : stranger;
      const text = i % 13 === 0 ? `tag #ruche ${i}` : i === 22 ? `foot ${i}` : `post ${i}`;
      const visibility = author === ann && i === 14 ? "direct" : "internal";
      const post = await createPost(db.sql, ORIGIN, author.account.id, { text, visibility });
      const shown = (author !== stranger || i % 13 === 0) && visibility !== "direct" && i !== 22;
      if (shown) expected.unshift(post.id);
    }
    await muteWord(db.sql, viewer.account.id, "foot");
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function allPages(window: bigint, limit: number): Promise<string[]> {
    const out: string[] = [];
    let maxId: string | null = null;
    for (let n = 0; n < 50; n++) {
      const { ids, scannedTo } = await homeTimelineIds(db.sql, viewer.account.id, { limit, maxId, minId: null, sinceId: null }, { window });
      out.push(...ids);
      if (ids.length < limit && !scannedTo) break;
      maxId = scannedTo ?? ids[ids.length - 1];
    }
    return out;
  }

  it("gives the same exact pages with a window covering everything, a tiny window, and none", async () => {
    expect(expected.length).toBeGreaterThan(10);
    for (const window of [1_000_000n, 5n, 1n]) {
      for (const limit of [1, 4, 40]) expect([window, limit, await allPages(window, limit)]).toEqual([window, limit, expected]);
    }
  });

  it("pages upwards with min_id and stops at since_id", async () => {
    const above = expected[6];
    const newer = await homeTimelineIds(db.sql, viewer.account.id, { limit: 3, maxId: null, minId: above, sinceId: null }, { window: 2n });
    expect(newer.ids).toEqual(expected.slice(3, 6).reverse());
    const since = await homeTimelineIds(db.sql, viewer.account.id, { limit: 40, maxId: null, minId: null, sinceId: above }, { window: 2n });
    expect(since.ids).toEqual(expected.slice(0, 6));
  });

  it("goes on past pages that muted words emptied, without losing what follows", async () => {
    const cat = await createLocalUser(db.sql, ORIGIN, { username: "cat" });
    await follow(db.sql, ORIGIN, viewer.account.id, cat.account.id);
    const keep1 = await createPost(db.sql, ORIGIN, cat.account.id, { text: "keep 1" });
    for (let i = 0; i < 14; i++) await createPost(db.sql, ORIGIN, cat.account.id, { text: `spam ${i}` });
    const keep2 = await createPost(db.sql, ORIGIN, cat.account.id, { text: "keep 2" });
    const spam = await muteWord(db.sql, viewer.account.id, "spam");
    const out: string[] = [];
    let maxId: string | null = null, shortPages = 0;
    for (let n = 0; n < 100; n++) {
      // One round of 6 candidates per call: the 14 muted posts take several calls that return nothing.
      const { ids, scannedTo } = await homeTimelineIds(db.sql, viewer.account.id, { limit: 1, maxId, minId: null, sinceId: null }, { rounds: 1 });
      out.push(...ids);
      if (scannedTo) shortPages++;
      if (ids.length < 1 && !scannedTo) break;
      maxId = scannedTo ?? ids[ids.length - 1];
    }
    await unmuteWord(db.sql, viewer.account.id, spam.id);
    expect(shortPages).toBeGreaterThan(0);
    expect(out).toEqual([keep2.id, keep1.id, ...expected]);
  });

  it("leaves muted people out, and their boosts", async () => {
    await muteAccount(db.sql, viewer.account.id, ben.account.id);
    const { ids } = await homeTimelineIds(db.sql, viewer.account.id, { limit: 40, maxId: null, minId: null, sinceId: null }, { window: 3n });
    const benPosts = (await db.sql`SELECT id::text FROM posts WHERE account_id = ${ben.account.id}`).map((r) => r.id as string);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => benPosts.includes(id))).toEqual([]);
  });

  it("local and group timelines show internal posts to employees and only public ones to anonymous readers", async () => {
    const pub = await createPost(db.sql, ORIGIN, ann.account.id, { text: "public one", visibility: "public" });
    expect((await localTimeline(db.sql, ANONYMOUS)).items.map((p) => p.id)).toEqual([pub.id]);
    expect((await groupTimeline(db.sql, localViewer(stranger.account.id), [])).items.length).toBe(20);
  });
});

describe("homeReaders (the streaming hub's one query for all home streams)", () => {
  let db: TestDatabase;
  afterAll(async () => {
    await db?.drop();
  });

  it("answers, for every kind of reader and post, what homeTimeline(onlyPost) answers for each", async () => {
    db = await createTestDatabase();
    const names = ["author", "fan", "stranger", "muter", "blocker", "tagfan", "worder", "mentioned", "booster"];
    const u = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await createLocalUser(db.sql, ORIGIN, { username: n })] as const)));
    const id = (n: string) => u[n].account.id;
    for (const f of ["fan", "muter", "blocker", "worder"]) await follow(db.sql, ORIGIN, id(f), id("author"));
    for (const f of ["fan", "muter"]) await follow(db.sql, ORIGIN, id(f), id("booster"));
    await muteAccount(db.sql, id("muter"), id("author"));
    await block(db.sql, ORIGIN, id("blocker"), id("author"));
    await followTag(db.sql, id("tagfan"), "ruche");
    await muteWord(db.sql, id("worder"), "cantine");
    const post = (text: string, visibility = "internal") => createPost(db.sql, ORIGIN, id("author"), { text, visibility: visibility as "internal" });
    const posts = [
      await post("Bonjour"),
      await post("Pour mes abonnés", "followers"),
      await post("@mentioned@paris.example @fan@paris.example entre nous", "direct"),
      await post("Ouverture #ruche"),
      await post("Menu de la cantine"),
      await post("Seulement ici", "local"),
    ];
    const boosted = await boost(db.sql, ORIGIN, id("booster"), posts[0].id);
    const viewers = names.map(id);
    let admitted = 0;
    for (const p of [...posts, boosted]) {
      const expected: string[] = [];
      for (const v of viewers) {
        if ((await homeTimeline(db.sql, v, onlyPost(p.id))).items.some((x) => x.id === p.id)) expected.push(v);
      }
      admitted += expected.length;
      expect((await homeReaders(db.sql, p.id, viewers)).sort(), `post "${p.contentText ?? p.id}"`).toEqual(expected.sort());
    }
    // The cases are not all empty or all full: the rule was exercised both ways.
    expect(admitted).toBeGreaterThan(8);
    expect(admitted).toBeLessThan(viewers.length * 7 - 8);
  });
});
