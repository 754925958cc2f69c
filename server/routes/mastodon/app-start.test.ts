// What a Mastodon app reads when it starts (issue #9 point 5), driven by masto.js and megalodon against two sibling
// instances: the instance documents with the limits the code enforces, preferences, emojis, announcements, trends,
// suggestions and markers; an account's posts with Mastodon's filters; who favourited or boosted a post, only for
// those who may read it; and Link headers that the clients' own paginators follow page after page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { startSiblings, type TestInstance } from "../../../test/instance.ts";
import { generator } from "../../../test/megalodon.ts";
import { png } from "../../../test/png.ts";
import { createApiToken } from "../../domain/accounts/tokens.ts";
import { addRule } from "../../domain/instance/rules.ts";
import { publishCharter } from "../../domain/charter/charter.ts";
import { IMAGE_TYPES, MAX_IMAGE_PIXELS } from "../../domain/media/media.ts";
import { MAX_ATTACHMENT_BYTES } from "../../domain/posts/post-media.ts";
import { POST_LIMITS } from "../../domain/posts/posts.ts";
import { updateLocalProfile } from "../../domain/profiles/profiles.ts";

type User = Awaited<ReturnType<TestInstance["createUser"]>>;

async function httpError(p: Promise<unknown>): Promise<{ statusCode?: number; status?: number; response?: { status: number } }> {
  return await p.then(() => ({}), (e: unknown) => e as { statusCode?: number });
}

/** Every page a masto paginator yields, following the Link headers. */
async function allPages<T>(paginator: AsyncIterable<T[]>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const page of paginator) {
    pages.push(page);
    if (pages.length > 40) throw new Error("the paginator does not stop");
  }
  return pages;
}

describe("Mastodon API: what apps need to start", () => {
  let paris: TestInstance, lyon: TestInstance;
  const users: Record<string, User> = {};
  const client: Record<string, mastodon.rest.Client> = {};
  const api = (path: string, token: string | null, init: RequestInit = {}) =>
    fetch(`${paris.origin}${path}`, { ...init, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...init.headers } });

  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
    users.admin = await paris.createUser("admin", { admin: true });
    for (const name of ["alice", "bob", "carol", "dan", "eve", "fred", "gil"]) {
      users[name] = await paris.createUser(name);
      client[name] = createRestAPIClient({ url: paris.origin, accessToken: users[name].token });
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("instance v2 and v1 give the limits the code enforces, the rules and the sibling peers (masto and megalodon)", async () => {
    await addRule(paris.db.sql, { text: "Respecter le droit à la déconnexion", hint: "Pas de message urgent après 20 h" });
    const anonymous = createRestAPIClient({ url: paris.origin });
    const v2 = await anonymous.v2.instance.fetch();
    expect(v2.configuration).toMatchObject({
      urls: { streaming: paris.origin.replace("https:", "wss:") },
      statuses: { maxCharacters: POST_LIMITS.text, maxMediaAttachments: POST_LIMITS.media, charactersReservedPerUrl: 23 },
      mediaAttachments: {
        supportedMimeTypes: [...IMAGE_TYPES], imageSizeLimit: MAX_ATTACHMENT_BYTES, imageMatrixLimit: MAX_IMAGE_PIXELS,
        videoSizeLimit: 0, descriptionLimit: 1500,
      },
      polls: { maxOptions: 20, maxCharactersPerOption: 200, minExpiration: 300, maxExpiration: 7_776_000 },
      accounts: { maxProfileFields: 4, maxPinnedStatuses: 5 },
      translation: { enabled: false },
    });
    const rule = { id: "1", text: "Respecter le droit à la déconnexion", hint: "Pas de message urgent après 20 h" };
    expect(v2.rules).toEqual([rule]);
    expect(v2.contact.account).toMatchObject({ username: "admin" });
    expect(v2.registrations).toMatchObject({ enabled: false });
    expect(v2.languages).toEqual(["fr", "en"]);

    // The limits are the real ones: the longest post goes through, one character more is refused.
    expect((await client.alice.v1.statuses.create({ status: "a".repeat(POST_LIMITS.text), visibility: "private" })).id).toBeTruthy();
    expect(await httpError(client.alice.v1.statuses.create({ status: "a".repeat(POST_LIMITS.text + 1) }))).toMatchObject({ statusCode: 422 });
    // Counted as apps count: a link as 23 characters however long, an emoji with its modifiers as one.
    const link = `https://intranet.acme.example/${"d".repeat(200)}`;
    const withLink = "a".repeat(POST_LIMITS.text - 24) + " " + link;
    expect((await client.alice.v1.statuses.create({ status: withLink, visibility: "private" })).content).toContain("intranet.acme.example");
    expect(await httpError(client.alice.v1.statuses.create({ status: `a${withLink}` }))).toMatchObject({ statusCode: 422 });
    expect((await client.alice.v1.statuses.create({ status: "👍🏽".repeat(POST_LIMITS.text), visibility: "private" })).id).toBeTruthy();

    const mega = generator("mastodon", paris.origin, null);
    const v1 = (await mega.getInstance()).data as unknown as Record<string, any>;
    expect(v1.configuration.statuses).toMatchObject({ max_characters: POST_LIMITS.text, max_media_attachments: 4 });
    expect(v1.configuration.polls).toMatchObject({ max_options: 20 });
    expect(v1.rules).toEqual([rule]);
    expect((await anonymous.v1.instance.fetch()).rules).toEqual([rule]);
    expect(await (await api("/api/v1/instance/rules", null)).json()).toEqual([rule]);

    expect(await anonymous.v1.instance.peers.list()).toEqual([lyon.host]);
    expect((await mega.getInstancePeers()).data).toEqual([lyon.host]);
  });

  it("preferences say the person's defaults, internal as private with Ruche's key, and need read:accounts", async () => {
    await client.alice.v1.accounts.updateCredentials({ source: { privacy: "internal" as never, language: "fr" } });
    await client.bob.v1.accounts.updateCredentials({ source: { privacy: "public" } });
    const mega = generator("mastodon", paris.origin, users.alice.token);
    expect((await mega.getPreferences()).data).toEqual({
      "posting:default:visibility": "private", "ruche:posting:default:visibility": "internal",
      "posting:default:sensitive": false, "posting:default:language": "fr",
      "reading:expand:media": "default", "reading:expand:spoilers": false,
    });
    const bob = await client.bob.v1.preferences.fetch() as unknown as Record<string, unknown>;
    expect(Object.values(bob)).toContain("public");
    expect((await generator("mastodon", paris.origin, users.carol.token).getPreferences()).data).toMatchObject({
      "posting:default:visibility": "private", "ruche:posting:default:visibility": "internal", "posting:default:language": null,
    });

    const statusesOnly = await createApiToken(paris.db.sql, users.alice.account.id, ["read:statuses"]);
    const refused = await api("/api/v1/preferences", statusesOnly);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "This action is outside the authorized scopes" });
    const accountsOnly = await createApiToken(paris.db.sql, users.alice.account.id, ["read:accounts"]);
    expect((await api("/api/v1/preferences", accountsOnly)).status).toBe(200);
    expect((await api("/api/v1/preferences", null)).status).toBe(401);
  });

  it("custom emojis, announcements, trends, suggestions, markers and the other start-up lists answer as Mastodon's", async () => {
    const alice = client.alice;
    expect(await createRestAPIClient({ url: paris.origin }).v1.customEmojis.list()).toEqual([]);
    expect(await alice.v1.announcements.list()).toEqual([]);
    const mega = generator("mastodon", paris.origin, users.alice.token);
    expect((await mega.getInstanceCustomEmojis()).data).toEqual([]);
    expect((await mega.getInstanceAnnouncements()).data).toEqual([]);
    // No announcement exists, so dismissing one names a missing record.
    const dismissed = await api("/api/v1/announcements/1/dismiss", users.alice.token, { method: "POST" });
    expect(dismissed.status).toBe(404);
    expect(await dismissed.json()).toEqual({ error: "Record not found" });

    // Trending tags: the week's popular tags, counted over what the reader may read.
    await client.bob.v1.statuses.create({ status: "Inventaire #achats", visibility: "internal" as never });
    await client.carol.v1.statuses.create({ status: "Commande #achats", visibility: "internal" as never });
    await client.dan.v1.statuses.create({ status: "Entre nous #secret", visibility: "direct" });
    const tags = await alice.v1.trends.tags.list();
    expect(tags.map((t) => t.name)).toEqual(["achats"]);
    expect(tags[0].history?.[0]).toMatchObject({ uses: "2", accounts: "2" });
    expect((await mega.getInstanceTrends()).data.map((t) => t.name)).toEqual(["achats"]);
    expect(await alice.v1.trends.statuses.list()).toEqual([]);
    expect(await alice.v1.trends.links.list()).toEqual([]);
    // Siblings mode: the group's topics are not for anonymous readers.
    expect((await api("/api/v1/trends/tags", null)).status).toBe(401);

    // Suggestions: colleagues of the same department, not followed, nobody blocked either way.
    for (const name of ["alice", "bob", "carol", "eve"]) await updateLocalProfile(paris.db.sql, users[name].account.id, { department: "Achats" });
    await client.eve.v1.accounts.$select(users.alice.account.id).block();
    const v2 = await alice.v2.suggestions.list();
    expect(v2.map((s) => s.account.username).sort()).toEqual(["bob", "carol"]);
    expect(v2[0]).toMatchObject({ source: "staff", sources: ["featured"], rucheShares: { department: true, site: false } });
    await alice.v1.accounts.$select(users.bob.account.id).follow();
    expect((await mega.getSuggestions()).data.map((a) => a.username)).toEqual(["carol"]);
    await client.eve.v1.accounts.$select(users.alice.account.id).unblock();

    await alice.v1.markers.create({ home: { lastReadId: "42" } });
    expect((await alice.v1.markers.fetch({ timeline: ["home"] })).home).toMatchObject({ lastReadId: "42" });
    expect((await mega.getMarkers(["home"])).data).toMatchObject({ home: { last_read_id: "42" } });

    await alice.v1.tags.$select("achats").follow();
    expect((await alice.v1.followedTags.list()).map((t) => t.name)).toEqual(["achats"]);
    expect(await alice.v1.endorsements.list()).toEqual([]);
    expect(await alice.v1.domainBlocks.list()).toEqual([]);
    expect((await mega.getEndorsements()).data).toEqual([]);

    // An endpoint that does not exist still says so in Mastodon's shape.
    const unknown = await api("/api/v1/trends/people", users.alice.token);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "endpoint_not_found" });
  });

  it("each new endpoint asks Mastodon's scope: refused with another one, answered with its own or its parent", async () => {
    const token = (scopes: string[]) => createApiToken(paris.db.sql, users.dan.account.id, scopes);
    const post = await client.dan.v1.statuses.create({ status: "Portée", visibility: "internal" as never });
    for (const [method, path, scope, parent] of [
      ["GET", "/api/v1/preferences", "read:accounts", "read"],
      ["GET", "/api/v2/suggestions", "read:accounts", "read"],
      ["GET", "/api/v1/suggestions", "read:accounts", "read"],
      ["GET", "/api/v1/endorsements", "read:accounts", "read"],
      ["GET", "/api/v1/domain_blocks", "read:blocks", "follow"],
      ["GET", "/api/v1/mutes", "read:mutes", "follow"],
      ["GET", "/api/v1/announcements", "read", "read"],
      ["GET", `/api/v1/statuses/${post.id}/favourited_by`, "read:accounts", "read"],
      ["GET", `/api/v1/statuses/${post.id}/reblogged_by`, "read:accounts", "read"],
    ] as const) {
      const wrong = await api(path, await token(["write", "read:statuses"]), { method });
      expect(wrong.status, `${path} with write read:statuses`).toBe(403);
      expect((await api(path, await token([scope]), { method })).status, `${path} with ${scope}`).toBe(200);
      expect((await api(path, await token([parent]), { method })).status, `${path} with ${parent}`).toBe(200);
    }
    // Trends and instance documents are public in Mastodon: any person's token reads them.
    for (const path of ["/api/v1/trends/tags", "/api/v1/trends/statuses", "/api/v1/custom_emojis", "/api/v1/instance/peers"]) {
      expect((await api(path, await token(["push"]))).status, path).toBe(200);
    }
  });

  it("an account's posts filter by pinned, exclude_replies, exclude_reblogs, only_media and tagged (masto and megalodon)", async () => {
    const fred = client.fred, id = users.fred.account.id;
    const bobPost = await client.bob.v1.statuses.create({ status: "Réunion jeudi", visibility: "internal" as never });
    const plain = await fred.v1.statuses.create({ status: "Bilan #qualite", visibility: "internal" as never });
    const reply = await fred.v1.statuses.create({ status: "D'accord", inReplyToId: bobPost.id, visibility: "internal" as never });
    const thread = await fred.v1.statuses.create({ status: "Suite du bilan", inReplyToId: plain.id, visibility: "internal" as never });
    await fred.v1.statuses.$select(bobPost.id).reblog();
    const media = await fred.v2.media.create({ file: new Blob([png() as BlobPart], { type: "image/png" }), description: "Graphique" });
    const withMedia = await fred.v1.statuses.create({ status: "Le graphique", mediaIds: [media.id], visibility: "internal" as never });
    await fred.v1.statuses.$select(plain.id).pin();

    const list = async (params: Record<string, unknown>) =>
      (await client.alice.v1.accounts.$select(id).statuses.list(params)).map((s) => s.reblog ? `boost:${s.reblog.id}` : s.id);
    expect(await list({})).toEqual([withMedia.id, `boost:${bobPost.id}`, thread.id, reply.id, plain.id]);
    // A reply to oneself is part of a thread, not a reply to others (Mastodon keeps it too).
    expect(await list({ excludeReplies: true })).toEqual([withMedia.id, `boost:${bobPost.id}`, thread.id, plain.id]);
    expect(await list({ excludeReblogs: true })).toEqual([withMedia.id, thread.id, reply.id, plain.id]);
    expect(await list({ onlyMedia: true })).toEqual([withMedia.id]);
    expect(await list({ tagged: "Qualite" })).toEqual([plain.id]);
    expect(await list({ pinned: true })).toEqual([plain.id]);

    const mega = generator("mastodon", paris.origin, users.alice.token);
    const got = await mega.getAccountStatuses(id, { exclude_replies: true, exclude_reblogs: true, only_media: false });
    expect(got.data.map((s) => s.id)).toEqual([withMedia.id, thread.id, plain.id]);
    expect((await mega.getAccountStatuses(id, { pinned: true })).data.map((s) => s.id)).toEqual([plain.id]);

    // The filters travel with the Link header, so the next page is filtered the same way.
    const res = await api(`/api/v1/accounts/${id}/statuses?exclude_reblogs=true&limit=2`, users.alice.token);
    const next = /<([^>]+)>; rel="next"/.exec(res.headers.get("Link") ?? "")?.[1];
    expect(next).toContain("exclude_reblogs=true");
    expect((await (await api(new URL(next!).pathname + new URL(next!).search, users.alice.token)).json()).map((s: { id: string }) => s.id))
      .toEqual([reply.id, plain.id]);
    // Across three pages with masto's paginator: every post once, in order.
    const pages = await allPages(client.alice.v1.accounts.$select(id).statuses.list({ excludeReblogs: true, limit: 2 }));
    expect(pages.map((p) => p.length)).toEqual([2, 2, 0]); // a full page always has a next one, as Mastodon's
    expect(pages.flat().map((s) => s.id)).toEqual([withMedia.id, thread.id, reply.id, plain.id]);
  });

  it("favourited_by and reblogged_by page through the people, leave out the blocked and 404 for a post one cannot read", async () => {
    const post = await client.alice.v1.statuses.create({ status: "Qui vient au séminaire ?", visibility: "internal" as never });
    const fans = ["bob", "carol", "dan", "eve", "fred", "gil"];
    for (const name of fans) {
      await client[name].v1.statuses.$select(post.id).favourite();
      await client[name].v1.statuses.$select(post.id).reblog();
    }
    const newestFirst = [...fans].reverse();
    const pages = await allPages(client.alice.v1.statuses.$select(post.id).favouritedBy.list({ limit: 2 } as never));
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 0]);
    expect(pages.flat().map((a) => a.username)).toEqual(newestFirst);
    const boosts = await allPages(client.alice.v1.statuses.$select(post.id).rebloggedBy.list({ limit: 2 } as never));
    expect(boosts.flat().map((a) => a.username)).toEqual(newestFirst);
    // The second page's prev link (min_id) leads back up to the first page's people.
    const link = (res: Response, rel: string) => {
      const u = new URL(new RegExp(`<([^>]+)>; rel="${rel}"`).exec(res.headers.get("Link") ?? "")![1]);
      return u.pathname + u.search;
    };
    const firstPage = await api(`/api/v1/statuses/${post.id}/favourited_by?limit=2`, users.alice.token);
    const secondPage = await api(link(firstPage, "next"), users.alice.token);
    expect((await secondPage.json()).map((a: { username: string }) => a.username)).toEqual(["eve", "dan"]);
    const back = await api(link(secondPage, "prev"), users.alice.token);
    expect(link(secondPage, "prev")).toMatch(/min_id=\d+/);
    expect((await back.json()).map((a: { username: string }) => a.username)).toEqual(["gil", "fred"]);

    // Blocks keep people apart here too, whoever blocked.
    await client.gil.v1.accounts.$select(users.carol.account.id).block();
    const seenByGil = (await client.gil.v1.statuses.$select(post.id).favouritedBy.list({ limit: 40 } as never)).map((a) => a.username);
    expect(seenByGil).toEqual(["gil", "fred", "eve", "dan", "bob"]);
    const seenByCarol = (await generator("mastodon", paris.origin, users.carol.token).getStatusFavouritedBy(post.id)).data.map((a) => a.username);
    expect(seenByCarol).toEqual(["fred", "eve", "dan", "carol", "bob"]);
    await client.gil.v1.accounts.$select(users.carol.account.id).unblock();

    // A followers-only post: its follower reads who liked it; anyone else gets a 404, as for the post itself.
    await client.bob.v1.accounts.$select(users.dan.account.id).follow();
    const followersOnly = await client.dan.v1.statuses.create({ status: "Pour mes abonnés", visibility: "private" });
    await client.bob.v1.statuses.$select(followersOnly.id).favourite();
    expect((await client.bob.v1.statuses.$select(followersOnly.id).favouritedBy.list()).map((a) => a.username)).toEqual(["bob"]);
    for (const path of ["favourited_by", "reblogged_by"]) {
      const outsider = await api(`/api/v1/statuses/${followersOnly.id}/${path}`, users.carol.token);
      expect(outsider.status, path).toBe(404);
      expect(await outsider.json()).toEqual({ error: "Record not found" });
    }
    // A direct message: only the people it names.
    const direct = await client.dan.v1.statuses.create({ status: "@bob le code est 1234", visibility: "direct" });
    expect((await client.bob.v1.statuses.$select(direct.id).favouritedBy.list())).toEqual([]);
    expect(await httpError(generator("mastodon", paris.origin, users.eve.token).getStatusFavouritedBy(direct.id)))
      .toMatchObject({ response: { status: 404 } });
    // The list is of accounts: a token without read:accounts may not read it.
    const statusesOnly = await createApiToken(paris.db.sql, users.alice.account.id, ["read:statuses"]);
    expect((await api(`/api/v1/statuses/${post.id}/favourited_by`, statusesOnly)).status).toBe(403);
  });

  it("mutes, blocks and follow lists carry Link headers that masto's paginator follows across three pages", async () => {
    const gil = client.gil;
    const targets = ["alice", "bob", "carol", "dan", "eve", "fred"];
    for (const name of targets) await gil.v1.accounts.$select(users[name].account.id).mute();
    const mutes = await allPages(gil.v1.mutes.list({ limit: 2 }));
    expect(mutes.map((p) => p.length)).toEqual([2, 2, 2, 0]);
    expect(mutes.flat().map((a) => a.username)).toEqual([...targets].reverse());
    const mega = generator("mastodon", paris.origin, users.gil.token);
    const first = await mega.getMutes({ limit: 2 });
    expect(first.headers.link).toMatch(/rel="next"/);
    expect((await mega.getMutes({ limit: 2, max_id: /max_id=(\d+)/.exec(first.headers.link)![1] })).data.map((a) => a.username)).toEqual(["dan", "carol"]);

    for (const name of targets) await client[name].v1.accounts.$select(users.gil.account.id).follow();
    const followers = await allPages(client.alice.v1.accounts.$select(users.gil.account.id).followers.list({ limit: 2 }));
    expect(followers.flat().map((a) => a.username)).toEqual([...targets].reverse());
  });

  it("every paginated endpoint's Link headers lead masto's paginator through the whole list, page after page", async () => {
    const hub = await paris.createUser("hub", { locked: true });
    const me = createRestAPIClient({ url: paris.origin, accessToken: hub.token });
    const others = ["alice", "bob", "carol", "dan", "eve", "fred"];
    /** The list read two at a time equals the list read at once, over at least three pages. */
    const wholeList = async <T extends { id: string }>(what: string, list: (params: { limit: number }) => AsyncIterable<T[]> & PromiseLike<T[]>) => {
      const atOnce = (await list({ limit: 40 })).map((x) => x.id);
      expect(atOnce.length, `${what}: fewer than one page of 40`).toBeLessThan(40);
      const pages = await allPages(list({ limit: 2 }));
      expect(pages.length, what).toBeGreaterThanOrEqual(3);
      expect(pages.flat().map((x) => x.id), what).toEqual(atOnce);
      expect(atOnce.length, what).toBeGreaterThanOrEqual(5);
    };

    const posts = [];
    for (let i = 0; i < 5; i++) posts.push(await me.v1.statuses.create({ status: `Point ${i} #audit`, visibility: "internal" as never }));
    for (const p of posts) {
      await me.v1.statuses.$select(p.id).favourite();
      await me.v1.statuses.$select(p.id).bookmark();
    }
    for (const name of others) {
      await client[name].v1.accounts.$select(hub.account.id).follow();
      await me.v1.accounts.$select(users[name].account.id).follow();
    }
    await wholeList("follow requests", (q) => me.v1.followRequests.list(q));
    await wholeList("notifications", (q) => me.v1.notifications.list(q));
    for (const name of others) await me.v1.followRequests.$select(users[name].account.id).authorize();
    await wholeList("followers", (q) => me.v1.accounts.$select(hub.account.id).followers.list(q));
    await wholeList("following", (q) => me.v1.accounts.$select(hub.account.id).following.list(q));
    await wholeList("favourites", (q) => me.v1.favourites.list(q));
    await wholeList("bookmarks", (q) => me.v1.bookmarks.list(q));
    await wholeList("home", (q) => me.v1.timelines.home.list(q));
    await wholeList("local timeline", (q) => me.v1.timelines.public.list({ ...q, local: true }));
    await wholeList("hashtag", (q) => me.v1.timelines.tag.$select("audit").list(q));
    await wholeList("account statuses", (q) => me.v1.accounts.$select(hub.account.id).statuses.list(q));
    for (const name of others) await me.v1.accounts.$select(users[name].account.id).block();
    await wholeList("blocks", (q) => me.v1.blocks.list(q));
  }, 120_000);

  it("once a usage charter is in force, v2 points apps at it as the terms of service; the start-up documents stay readable", async () => {
    const before = await createRestAPIClient({ url: paris.origin }).v2.instance.fetch();
    expect((before.configuration.urls as { termsOfService?: string | null }).termsOfService).toBeNull();
    await publishCharter(paris.db.sql, users.admin.account.id, { text_fr: "Pas de messages après 20 h.", text_en: "No messages after 8 pm." });
    const after = await createRestAPIClient({ url: paris.origin }).v2.instance.fetch();
    const url = (after.configuration.urls as { termsOfService?: string }).termsOfService;
    expect(url).toBe(`${paris.origin}/charter`);
    expect(await (await fetch(url!)).text()).toContain("Pas de messages après 20 h.");
    expect((await api("/api/v1/instance/rules", null)).status).toBe(200);
    expect((await api("/api/v1/custom_emojis", null)).status).toBe(200);
  });
});
