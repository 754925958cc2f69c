// Mastodon filters on the muted words' matcher: a `hide` filter on "café" leaves the post out of the home timeline,
// the public timelines, a thread and the notifications (whole words, accents included), only in the contexts it
// names and only until it expires; a `warn` filter leaves the post in and says which keyword caught it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser } from "../accounts/accounts.ts";
import { localViewer } from "../audience/visibility.ts";
import { follow } from "../follows/follows.ts";
import { listNotifications } from "../notifications/notifications.ts";
import { boost } from "../posts/interactions.ts";
import { createPost } from "../posts/posts.ts";
import { addFilterStatus, createFilter, deleteFilter, getFilter, updateFilter, warningsFor } from "./filters.ts";
import { muteWord } from "./mutes.ts";
import { accountTimeline, homeTimeline, localTimeline, threadContext } from "./timelines.ts";

const ORIGIN = "https://paris.example";

describe("filters", () => {
  let db: TestDatabase;
  let viewer: LocalUser, ann: LocalUser;
  const home = async () => (await homeTimeline(db.sql, viewer.account.id)).items.map((p) => p.id);
  const local = async () => (await localTimeline(db.sql, localViewer(viewer.account.id))).items.map((p) => p.id);
  const notified = async () => (await listNotifications(db.sql, viewer.account.id)).items.map((n) => n.postId);

  beforeAll(async () => {
    db = await createTestDatabase();
    [viewer, ann] = await Promise.all(["viewer", "ann"].map((u) => createLocalUser(db.sql, ORIGIN, { username: u })));
    await follow(db.sql, ORIGIN, viewer.account.id, ann.account.id);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("a hide filter on « café » removes the post from home, public, thread and notifications, not « cafétéria »", async () => {
    const root = await createPost(db.sql, ORIGIN, viewer.account.id, { text: "Qui vient ?" });
    const cafe = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Un Café, vite.", inReplyToId: root.id });
    const cafeteria = await createPost(db.sql, ORIGIN, ann.account.id, { text: "La cafétéria ferme tôt", inReplyToId: root.id });
    // Control: before the filter, the post is everywhere.
    expect(await home()).toContain(cafe.id);
    expect(await local()).toContain(cafe.id);
    expect((await threadContext(db.sql, localViewer(viewer.account.id), root.id))!.descendants.map((p) => p.id)).toEqual([cafe.id, cafeteria.id]);
    expect(await notified()).toContain(cafe.id);

    const f = await createFilter(db.sql, viewer.account.id, {
      title: "Pause", context: ["home", "public", "thread", "notifications"], action: "hide", keywords: [{ keyword: "café" }],
    });
    expect(await home()).not.toContain(cafe.id);
    expect(await home()).toContain(cafeteria.id);
    expect(await local()).toEqual(expect.arrayContaining([cafeteria.id]));
    expect(await local()).not.toContain(cafe.id);
    expect((await threadContext(db.sql, localViewer(viewer.account.id), root.id))!.descendants.map((p) => p.id)).toEqual([cafeteria.id]);
    expect(await notified()).toEqual(expect.arrayContaining([cafeteria.id]));
    expect(await notified()).not.toContain(cafe.id);
    // A boost of the post is hidden with it; Ann's own page is another context the filter does not name.
    const boosted = await boost(db.sql, ORIGIN, ann.account.id, cafe.id);
    expect(await home()).not.toContain(boosted.id);
    expect((await accountTimeline(db.sql, localViewer(viewer.account.id), ann.account.id)).items.map((p) => p.id)).toContain(cafe.id);

    // Only the contexts it names: without "home", the home timeline shows the post again.
    await updateFilter(db.sql, viewer.account.id, f.id, { context: ["thread"] });
    expect(await home()).toContain(cafe.id);
    await deleteFilter(db.sql, viewer.account.id, f.id);
    expect((await threadContext(db.sql, localViewer(viewer.account.id), root.id))!.descendants.map((p) => p.id)).toContain(cafe.id);
  });

  it("an expired filter matches nothing", async () => {
    const post = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Réunion budget à 14 h" });
    const f = await createFilter(db.sql, viewer.account.id, { title: "Budget", context: ["home"], action: "hide", expiresIn: 3600, keywords: [{ keyword: "budget" }] });
    expect((await getFilter(db.sql, viewer.account.id, f.id)).expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(await home()).not.toContain(post.id);
    // The hour has passed (moved back in the database rather than waited for).
    await db.sql`UPDATE filters SET expires_at = now() - interval '1 second' WHERE id = ${f.id}`;
    expect(await home()).toContain(post.id);
    // expires_in: null removes the expiry, and the filter applies again.
    await updateFilter(db.sql, viewer.account.id, f.id, { expiresIn: null });
    expect(await home()).not.toContain(post.id);
  });

  it("a warn filter keeps the post and names the keywords and posts it matched; a hide filter can name a post", async () => {
    const post = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Le match de foot ce soir" });
    const other = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Le planning de la semaine" });
    const warn = await createFilter(db.sql, viewer.account.id, {
      title: "Sport", context: ["home"], action: "warn", keywords: [{ keyword: "foot" }, { keyword: "rugby" }],
    });
    await addFilterStatus(db.sql, viewer.account.id, warn.id, other.id);
    const page = (await homeTimeline(db.sql, viewer.account.id)).items;
    expect(page.map((p) => p.id)).toEqual(expect.arrayContaining([post.id, other.id]));
    const warnings = await warningsFor(db.sql, viewer.account.id, "home", page);
    expect(warnings.get(post.id)?.map((r) => [r.filter.title, r.keywordMatches, r.statusMatches])).toEqual([["Sport", ["foot"], null]]);
    expect(warnings.get(other.id)?.map((r) => [r.keywordMatches, r.statusMatches])).toEqual([[null, [other.id]]]);
    expect((await warningsFor(db.sql, viewer.account.id, "public", page)).size).toBe(0);

    const hide = await createFilter(db.sql, viewer.account.id, { title: "Ce post", context: ["home"], action: "hide" });
    await addFilterStatus(db.sql, viewer.account.id, hide.id, other.id);
    expect(await home()).not.toContain(other.id);
    await expect(addFilterStatus(db.sql, viewer.account.id, hide.id, other.id)).rejects.toMatchObject({ status: 422 });
  });

  it("muted words still hide everywhere but a person's own posts page, filters for « account » hide there too", async () => {
    const post = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Le séminaire de juin" });
    await muteWord(db.sql, viewer.account.id, "séminaire");
    expect(await home()).not.toContain(post.id);
    const onPage = async () => (await accountTimeline(db.sql, localViewer(viewer.account.id), ann.account.id)).items.map((p) => p.id);
    expect(await onPage()).toContain(post.id);
    await createFilter(db.sql, viewer.account.id, { title: "Juin", context: ["account"], action: "hide", keywords: [{ keyword: "juin" }] });
    expect(await onPage()).not.toContain(post.id);
  });

  it("refuses what Mastodon refuses, and nobody reads or changes another's filter", async () => {
    await expect(createFilter(db.sql, viewer.account.id, { title: "", context: ["home"] })).rejects.toMatchObject({ status: 422, field: "title" });
    await expect(createFilter(db.sql, viewer.account.id, { title: "x", context: [] })).rejects.toMatchObject({ status: 422, field: "context" });
    await expect(createFilter(db.sql, viewer.account.id, { title: "x", context: ["home"], expiresIn: -5 })).rejects.toMatchObject({ status: 422 });
    await expect(createFilter(db.sql, viewer.account.id, { title: "x", context: ["home"], keywords: [{ keyword: " " }] })).rejects.toMatchObject({ status: 422 });
    const mine = await createFilter(db.sql, viewer.account.id, { title: "À moi", context: ["home"] });
    await expect(getFilter(db.sql, ann.account.id, mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(updateFilter(db.sql, ann.account.id, mine.id, { title: "volé" })).rejects.toMatchObject({ status: 404 });
    await expect(deleteFilter(db.sql, ann.account.id, mine.id)).rejects.toMatchObject({ status: 404 });
    // Nothing half-made: a bad keyword in an update leaves the filter as it was.
    await expect(updateFilter(db.sql, viewer.account.id, mine.id, { title: "Nouveau", keywords: [{ keyword: "" }] })).rejects.toMatchObject({ status: 422 });
    expect((await getFilter(db.sql, viewer.account.id, mine.id)).title).toBe("À moi");
  });
});
