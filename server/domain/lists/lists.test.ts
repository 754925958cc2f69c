// Lists: only people one follows, a timeline of their posts (the home timeline's scan, with its visibility), each
// replies policy, exclusive lists taking their members out of home, and unfollowing taking someone out of lists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser } from "../accounts/accounts.ts";
import { follow, unfollow } from "../follows/follows.ts";
import { createPost } from "../posts/posts.ts";
import { homeTimeline, listTimeline } from "../timelines/timelines.ts";
import { addListMembers, createList, deleteList, getList, listMembers, listsWith, removeListMembers, updateList } from "./lists.ts";

const ORIGIN = "https://paris.example";

describe("lists", () => {
  let db: TestDatabase;
  let me: LocalUser, ann: LocalUser, ben: LocalUser, cleo: LocalUser, stranger: LocalUser;
  const timeline = async (listId: string) => (await listTimeline(db.sql, me.account.id, listId))!.items.map((p) => p.id);

  beforeAll(async () => {
    db = await createTestDatabase();
    [me, ann, ben, cleo, stranger] = await Promise.all(["me", "ann", "ben", "cleo", "stranger"].map((u) => createLocalUser(db.sql, ORIGIN, { username: u })));
    for (const u of [ann, ben, cleo]) await follow(db.sql, ORIGIN, me.account.id, u.account.id);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("holds only people one follows and shows their posts, with the replies policy chosen", async () => {
    const list = await createList(db.sql, me.account.id, { title: "Équipe data" });
    expect(list).toMatchObject({ title: "Équipe data", repliesPolicy: "list", exclusive: false });
    await expect(addListMembers(db.sql, me.account.id, list.id, [stranger.account.id])).rejects.toMatchObject({ status: 422 });
    await expect(addListMembers(db.sql, me.account.id, list.id, ["999999999"])).rejects.toMatchObject({ status: 404 });
    await addListMembers(db.sql, me.account.id, list.id, [ann.account.id, ben.account.id]);
    await addListMembers(db.sql, me.account.id, list.id, [ann.account.id]); // again: no change

    const annPost = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Tableau de bord à jour" });
    const cleoPost = await createPost(db.sql, ORIGIN, cleo.account.id, { text: "Hors liste" });
    const secret = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Rien que pour Ben", visibility: "direct" });
    const strangerPost = await createPost(db.sql, ORIGIN, stranger.account.id, { text: "Question ouverte" });
    const toMember = await createPost(db.sql, ORIGIN, ben.account.id, { text: "Bien vu", inReplyToId: annPost.id });
    const toFollowed = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Merci Cléo", inReplyToId: cleoPost.id });
    const toStranger = await createPost(db.sql, ORIGIN, ann.account.id, { text: "Je regarde", inReplyToId: strangerPost.id });
    const items = await timeline(list.id);
    expect(items).toEqual([toMember.id, annPost.id]);
    expect(items).not.toContain(secret.id);
    expect(items).not.toContain(cleoPost.id);

    await updateList(db.sql, me.account.id, list.id, { repliesPolicy: "followed" });
    expect(await timeline(list.id)).toEqual([toFollowed.id, toMember.id, annPost.id]);
    await updateList(db.sql, me.account.id, list.id, { repliesPolicy: "none" });
    expect(await timeline(list.id)).toEqual([annPost.id]);
    expect(toStranger.id > annPost.id).toBe(true);

    expect((await listsWith(db.sql, me.account.id, ann.account.id)).map((l) => l.id)).toEqual([list.id]);
    await removeListMembers(db.sql, me.account.id, list.id, [ben.account.id]);
    expect((await listMembers(db.sql, me.account.id, list.id, { limit: 40 })).items.map((a) => a.id)).toEqual([ann.account.id]);
  });

  it("an exclusive list takes its members out of home; unfollowing takes them out of the list", async () => {
    const list = await createList(db.sql, me.account.id, { title: "Veille", exclusive: true });
    await addListMembers(db.sql, me.account.id, list.id, [cleo.account.id]);
    const post = await createPost(db.sql, ORIGIN, cleo.account.id, { text: "Article du jour" });
    const homeIds = async () => (await homeTimeline(db.sql, me.account.id)).items.map((p) => p.id);
    expect(await timeline(list.id)).toContain(post.id);
    expect(await homeIds()).not.toContain(post.id);
    await updateList(db.sql, me.account.id, list.id, { exclusive: false });
    expect(await homeIds()).toContain(post.id);

    await unfollow(db.sql, me.account.id, cleo.account.id);
    expect((await listMembers(db.sql, me.account.id, list.id, { limit: 0 })).items).toEqual([]);
    expect(await timeline(list.id)).toEqual([]);
  });

  it("pages members newest first; another's list is not found", async () => {
    const list = await createList(db.sql, me.account.id, { title: "Tous" });
    await addListMembers(db.sql, me.account.id, list.id, [ann.account.id]);
    await addListMembers(db.sql, me.account.id, list.id, [ben.account.id]);
    const first = await listMembers(db.sql, me.account.id, list.id, { limit: 1 });
    expect(first.items.map((a) => a.id)).toEqual([ben.account.id]);
    const second = await listMembers(db.sql, me.account.id, list.id, { limit: 1, maxId: first.nextMaxId! });
    expect(second.items.map((a) => a.id)).toEqual([ann.account.id]);

    await expect(getList(db.sql, ann.account.id, list.id)).rejects.toMatchObject({ status: 404 });
    expect(await listTimeline(db.sql, ann.account.id, list.id)).toBeNull();
    await expect(addListMembers(db.sql, ann.account.id, list.id, [me.account.id])).rejects.toMatchObject({ status: 404 });
    await expect(createList(db.sql, me.account.id, { title: "  " })).rejects.toMatchObject({ status: 422 });
    await deleteList(db.sql, me.account.id, list.id);
    await expect(getList(db.sql, me.account.id, list.id)).rejects.toMatchObject({ status: 404 });
  });
});
