// One mute matcher for every path: a muted word ("café") hides the same posts in the home, local and group
// timelines, in a thread's replies and in notifications — Unicode-aware whole words ("Café," yes, "cafétéria"
// no) — and a mute that has expired hides nothing anywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser } from "../accounts/accounts.ts";
import { follow } from "../follows/follows.ts";
import { createPost } from "../posts/posts.ts";
import { listNotifications, unreadCount } from "../notifications/notifications.ts";
import { localViewer } from "../audience/visibility.ts";
import { homeTimelineIds } from "./home-timeline.ts";
import { muteAccount, muteWord, wordMuteMatcher, wordMutesToRegex } from "./mutes.ts";
import { groupTimeline, localTimeline, threadContext } from "./timelines.ts";

const ORIGIN = "https://paris.example";

describe("word and account mutes", () => {
  let db: TestDatabase;
  let viewer: LocalUser, ann: LocalUser, dan: LocalUser;
  let root: string, cafe: string, cafeCaps: string, cafeteria: string, fromDan: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    [viewer, ann, dan] = await Promise.all(["viewer", "ann", "dan"].map((u) => createLocalUser(db.sql, ORIGIN, { username: u })));
    await follow(db.sql, ORIGIN, viewer.account.id, ann.account.id);
    await follow(db.sql, ORIGIN, viewer.account.id, dan.account.id);
    await muteWord(db.sql, viewer.account.id, "café");
    // A word muted for an hour, expired before anything is read: "cinéma" is shown.
    await muteWord(db.sql, viewer.account.id, "accord", { durationSeconds: 3600 });
    await db.sql`UPDATE word_mutes SET expires_at = now() - interval '1 minute' WHERE phrase = 'accord'`;
    // Muted now (so muting is what decides), expired before anything is read.
    await muteAccount(db.sql, viewer.account.id, dan.account.id, { durationSeconds: 3600 });
    await db.sql`UPDATE account_mutes SET expires_at = now() - interval '1 minute' WHERE account_id = ${viewer.account.id}`;
    root = (await createPost(db.sql, ORIGIN, viewer.account.id, { text: "on se retrouve où ?", visibility: "public" })).id;
    // Replies to the viewer's post: each notifies the viewer ("reply") and shows in every timeline.
    const reply = async (author: LocalUser, text: string) =>
      (await createPost(db.sql, ORIGIN, author.account.id, { text, visibility: "public", inReplyToId: root })).id;
    cafe = await reply(ann, "au café du coin");
    cafeCaps = await reply(ann, "Café, puis cinéma");
    cafeteria = await reply(ann, "à la cafétéria");
    fromDan = await reply(dan, "d'accord");
  });
  afterAll(async () => {
    await db?.drop();
  });

  const hidden = () => [cafe, cafeCaps];
  const shown = () => [root, cafeteria, fromDan];

  function expectFiltered(ids: string[]) {
    for (const id of shown()) expect(ids).toContain(id);
    for (const id of hidden()) expect(ids).not.toContain(id);
  }

  it("the PostgreSQL and JavaScript tests agree, with Unicode word boundaries", async () => {
    const mutes = [{ id: "1", phrase: "café", wholeWord: true }, { id: "2", phrase: "c++", wholeWord: true }];
    const js = wordMuteMatcher(mutes)!;
    const pg = wordMutesToRegex(mutes)!;
    const texts = ["café", "Café, oui", "(CAFÉ)", "cafétéria", "cafés", "décafé", "j'aime c++.", "c++x", "cafe", "😀café😀", "x café", "café café", "cafés café"];
    const [r] = await db.sql`SELECT array_agg(t ~* ${pg} ORDER BY i) AS m FROM unnest(${texts}::text[]) WITH ORDINALITY AS x(t, i)`;
    const expected = [true, true, true, false, false, false, true, false, false, true, true, true, true];
    expect(texts.map((t) => js(t))).toEqual(expected);
    expect(r.m).toEqual(expected);
  });

  it("hides 'café' in the home timeline, but not 'cafétéria', nor an expired mute", async () => {
    const { ids } = await homeTimelineIds(db.sql, viewer.account.id, { limit: 40, maxId: null, minId: null, sinceId: null });
    expectFiltered(ids);
  });

  it("hides 'café' in the local and group timelines", async () => {
    expectFiltered((await localTimeline(db.sql, localViewer(viewer.account.id), { limit: 40 })).items.map((p) => p.id));
    expectFiltered((await groupTimeline(db.sql, localViewer(viewer.account.id), [], { limit: 40 })).items.map((p) => p.id));
  });

  it("hides 'café' in a thread's replies", async () => {
    const ctx = await threadContext(db.sql, localViewer(viewer.account.id), root);
    expectFiltered([root, ...ctx!.descendants.map((p) => p.id)]);
  });

  it("hides notifications about posts with 'café'", async () => {
    const page = await listNotifications(db.sql, viewer.account.id);
    expectFiltered([root, ...page.items.map((n) => n.postId!)]);
  });

  it("counts unread notifications as the list shows them, and an expired word mute hides nothing", async () => {
    const page = await listNotifications(db.sql, viewer.account.id);
    expect(await unreadCount(db.sql, viewer.account.id)).toBe(page.items.length);
    expect(page.items.map((n) => n.postId)).toContain(fromDan); // "d'accord": its mute expired
    expect(page.items.length).toBe(2); // cafétéria and d'accord; not the two café replies
  });
});
