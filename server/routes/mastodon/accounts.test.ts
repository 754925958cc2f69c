// The Mastodon client API on one instance, driven by real clients (masto.js and megalodon).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { png } from "../../../test/png.ts";
import { generator } from "../../../test/megalodon.ts";
import { createApiToken, createSession, parseScopes } from "../../domain/accounts/tokens.ts";
import { SESSION_COOKIE } from "../pages/session.ts";


async function expectHttpError(p: Promise<unknown>, status: number): Promise<{ statusCode: number; message: string; details?: Record<string, unknown> }> {
  const e = await p.then(() => null, (err: unknown) => err as { statusCode: number; message: string; details?: Record<string, unknown> });
  expect(e, `expected HTTP ${status}`).not.toBeNull();
  expect(e!.statusCode).toBe(status);
  return e!;
}

describe("Mastodon client API: accounts", () => {
  let paris: TestInstance;
  let alice: Awaited<ReturnType<TestInstance["createUser"]>>;
  let client: mastodon.rest.Client;
  const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? alice.token : init.token;
    if (token) headers.set("Authorization", `Bearer ${token}`);
    return fetch(`${paris.origin}${path}`, { ...init, headers });
  };

  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    alice = await paris.createUser("alice", { displayName: "Alice Martin", admin: true });
    client = createRestAPIClient({ url: paris.origin, accessToken: alice.token });
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("verify_credentials returns the viewer's CredentialAccount in Mastodon's shape", async () => {
    const me = await client.v1.accounts.verifyCredentials();
    expect(me).toMatchObject({
      id: alice.account.id, username: "alice", acct: "alice", displayName: "Alice Martin", locked: false, bot: false,
      group: false, url: `${paris.origin}/@alice`, uri: `${paris.origin}/users/alice`, followersCount: 0,
      followingCount: 0, statusesCount: 0, lastStatusAt: null, emojis: [], fields: [],
      source: { note: "", privacy: "private", sensitive: false, fields: [] },
      role: { permissions: "1" },
    });
    expect(me.createdAt).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\.000Z$/);
    expect(me.avatar).toBe(`${paris.origin}/static/avatar-missing.png`);
    const avatar = await fetch(me.avatar);
    expect(avatar.headers.get("Content-Type")).toBe("image/png");
    expect(Buffer.from(await avatar.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
    expect((await fetch(me.header)).status).toBe(200);
  });

  it("refuses a missing or unknown token with 401 and a token without the scope with 403", async () => {
    const missing = await api("/api/v1/accounts/verify_credentials", { token: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: "The access token is invalid" });
    expect((await api("/api/v1/accounts/verify_credentials", { token: "x".repeat(43) })).status).toBe(401);
    // Siblings mode keeps the instance private: even public-in-Mastodon reads need a token.
    expect((await api(`/api/v1/accounts/${alice.account.id}`, { token: null })).status).toBe(401);

    const carol = await paris.createUser("carol");
    const readOnly = await createApiToken(paris.db.sql, alice.account.id, parseScopes("read"));
    const res = await api(`/api/v1/accounts/${carol.account.id}/follow`, { method: "POST", token: readOnly });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "This action is outside the authorized scopes" });
    const readOnlyClient = createRestAPIClient({ url: paris.origin, accessToken: readOnly });
    await expectHttpError(readOnlyClient.v1.accounts.$select(carol.account.id).follow(), 403);
    expect((await readOnlyClient.v1.accounts.verifyCredentials()).username).toBe("alice");
    // read:accounts alone does not grant read:follows.
    const narrow = await createApiToken(paris.db.sql, alice.account.id, parseScopes("read:accounts"));
    expect((await api(`/api/v1/accounts/relationships?id[]=${carol.account.id}`, { token: narrow })).status).toBe(403);
  });

  it("update_credentials changes the display name and note (multipart, JSON and form bodies)", async () => {
    const updated = await client.v1.accounts.updateCredentials({ displayName: "Alice M.", note: "Ingénieure <QA> à Paris" });
    expect(updated.displayName).toBe("Alice M.");
    expect(updated.source.note).toBe("Ingénieure <QA> à Paris");
    expect(updated.note).toContain("Ingénieure &lt;QA&gt; à Paris");

    const json = await api("/api/v1/accounts/update_credentials", {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ locked: true }),
    });
    expect(json.status).toBe(200);
    expect((await json.json()).locked).toBe(true);
    const form = await api("/api/v1/accounts/update_credentials", {
      method: "PATCH", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "locked=false&display_name=Alice",
    });
    expect(await form.json()).toMatchObject({ locked: false, display_name: "Alice", note: expect.stringContaining("Paris") });

    const tooLong = await expectHttpError(client.v1.accounts.updateCredentials({ displayName: "x".repeat(101) }), 422);
    expect(tooLong.message).toMatch(/^Validation failed: Display name/);
    expect(tooLong.details).toHaveProperty("displayName");
    const badBool = await api("/api/v1/accounts/update_credentials", {
      method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ locked: "maybe" }),
    });
    expect(badBool.status).toBe(422);
  });

  it("stores a real PNG avatar and refuses an SVG, a text file named .png and an oversized file", async () => {
    const bytes = png();
    const me = await client.v1.accounts.updateCredentials({ avatar: new Blob([bytes as BlobPart], { type: "image/png" }) });
    expect(me.avatar).toMatch(new RegExp(`^${paris.origin}/media/avatars/[0-9a-f]{32}\\.png$`));
    const served = await fetch(me.avatar);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    // Re-encoded (server/domain/media.ts): a fresh 400×400 PNG made from the pixels, not the uploaded bytes.
    const body = new Uint8Array(await served.arrayBuffer());
    const ihdr = new DataView(body.buffer, body.byteOffset + 16, 8);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([400, 400]);
    const [row] = await paris.db.sql`SELECT kind, content_type, size FROM media WHERE path = ${new URL(me.avatar).pathname}`;
    expect(row).toEqual({ kind: "avatar", content_type: "image/png", size: body.length });

    const svg = new Blob(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], { type: "image/svg+xml" });
    const refused = await expectHttpError(client.v1.accounts.updateCredentials({ avatar: svg }), 422);
    expect(refused.details).toHaveProperty("avatar");
    const disguised = new File(["just some text, not an image"], "cat.png", { type: "image/png" });
    await expectHttpError(client.v1.accounts.updateCredentials({ header: disguised }), 422);
    const big = new Uint8Array(2 * 1024 * 1024 + 10);
    big.set(bytes);
    await expectHttpError(client.v1.accounts.updateCredentials({ avatar: new Blob([big as BlobPart], { type: "image/png" }) }), 413);
    // The refused uploads left the avatar as it was.
    expect((await client.v1.accounts.verifyCredentials()).avatar).toBe(me.avatar);
  });

  it("looks accounts up by acct and by id; unknown ones are 404 Record not found, unknown endpoints say so", async () => {
    const dave = await paris.createUser("dave", { displayName: "Dave" });
    expect((await client.v1.accounts.lookup({ acct: "dave" })).id).toBe(dave.account.id);
    expect((await client.v1.accounts.lookup({ acct: `@dave@${paris.host}` })).id).toBe(dave.account.id);
    expect((await client.v1.accounts.$select(dave.account.id).fetch()).displayName).toBe("Dave");
    await expectHttpError(client.v1.accounts.lookup({ acct: "nobody" }), 404);
    const missing = await api("/api/v1/accounts/999999999");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "Record not found" });
    const unknownPath = await api("/api/v1/no_such_endpoint");
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toEqual({ error: "This endpoint does not exist: GET /api/v1/no_such_endpoint", code: "endpoint_not_found" });
  });

  it("follows, unfollows and reports relationships", async () => {
    const erin = await paris.createUser("erin");
    const frank = await paris.createUser("frank", { locked: true });
    const rel = await client.v1.accounts.$select(erin.account.id).follow();
    expect(rel).toMatchObject({ id: erin.account.id, following: true, requested: false, followedBy: false, blocking: false });
    expect((await client.v1.accounts.$select(frank.account.id).follow()).requested).toBe(true);

    const rels = await client.v1.accounts.relationships.fetch({ id: [erin.account.id, frank.account.id, "999999999"] });
    expect(rels.map((r) => [r.id, r.following, r.requested])).toEqual([[erin.account.id, true, false], [frank.account.id, false, true]]);
    const single = await (await api(`/api/v1/accounts/relationships?id=${erin.account.id}`)).json();
    expect(single).toHaveLength(1);
    expect(Object.keys(single[0]).sort()).toEqual(["blocked_by", "blocking", "domain_blocking", "endorsed", "followed_by",
      "following", "id", "languages", "muting", "muting_notifications", "note", "notifying", "requested", "requested_by",
      "showing_reblogs"]);
    const erinClient = createRestAPIClient({ url: paris.origin, accessToken: erin.token });
    expect((await erinClient.v1.accounts.relationships.fetch({ id: [alice.account.id] }))[0].followedBy).toBe(true);

    expect((await client.v1.accounts.$select(erin.account.id).unfollow()).following).toBe(false);
    await expectHttpError(client.v1.accounts.$select(alice.account.id).follow(), 422);
  });

  it("paginates followers with Mastodon's Link header", async () => {
    const gina = await paris.createUser("gina");
    const followers = [];
    for (const name of ["hugo", "ines", "jules"]) {
      const u = await paris.createUser(name);
      await createRestAPIClient({ url: paris.origin, accessToken: u.token }).v1.accounts.$select(gina.account.id).follow();
      followers.push(u);
    }
    const res = await api(`/api/v1/accounts/${gina.account.id}/followers?limit=1`);
    const link = res.headers.get("Link") ?? "";
    expect(link).toMatch(new RegExp(`^<${paris.origin}/api/v1/accounts/${gina.account.id}/followers\\?limit=1&max_id=\\d+>; rel="next", <.*min_id=\\d+>; rel="prev"$`));
    expect((await res.json()).map((a: { username: string }) => a.username)).toEqual(["jules"]);
    const next = await api(new URL(/<([^>]+)>; rel="next"/.exec(link)![1]).pathname + new URL(/<([^>]+)>; rel="next"/.exec(link)![1]).search);
    expect((await next.json()).map((a: { username: string }) => a.username)).toEqual(["ines"]);

    // masto.js follows the Link header page by page.
    const names: string[] = [];
    for await (const page of client.v1.accounts.$select(gina.account.id).followers.list({ limit: 1 })) names.push(...page.map((a) => a.username));
    expect(names).toEqual(["jules", "ines", "hugo"]);
    const since = await api(`/api/v1/accounts/${gina.account.id}/followers?since_id=${/max_id=(\d+)/.exec(link)![1]}`);
    expect((await since.json())).toHaveLength(0);
    const following = await createRestAPIClient({ url: paris.origin, accessToken: followers[0].token }).v1.accounts.$select(followers[0].account.id).following.list();
    expect(following.map((a) => a.acct)).toEqual(["gina"]);
  });

  it("searches local accounts by prefix, with LIKE wildcards taken literally", async () => {
    await paris.createUser("karim", { displayName: "Karim Benali" });
    const byName = await client.v2.search.list({ q: "benal", type: "accounts" });
    expect(byName.accounts.map((a) => a.username)).toEqual(["karim"]);
    expect((await client.v2.search.list({ q: "kar" })).accounts.map((a) => a.username)).toContain("karim");
    expect((await client.v2.search.list({ q: "%" })).accounts).toEqual([]);
    expect((await client.v2.search.list({ q: "_a" })).accounts).toEqual([]);
    expect((await client.v2.search.list({ q: "karim", type: "statuses" })).accounts).toEqual([]);
  });

  it("a second client (megalodon) parses our entities", async () => {
    const mega = generator("mastodon", paris.origin, alice.token);
    const me = await mega.verifyAccountCredentials();
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ id: alice.account.id, username: "alice", acct: "alice" });
    expect(me.data.source?.privacy).toBe("private");
    const instance = await mega.getInstance();
    expect(instance.data.uri).toBe(paris.host);
    const found = await mega.search("alic", { type: "accounts" });
    expect(found.data.accounts.map((a) => a.id)).toContain(alice.account.id);
    const rel = await mega.getRelationship(alice.account.id);
    expect(rel.data).toMatchObject({ id: alice.account.id, following: false, requested: false });
  });

  it("update_credentials sets the posting defaults (source[privacy], source[language]) used by the API and the composer (issue #8 point 13)", async () => {
    const fanny = await paris.createUser("fanny");
    const masto = createRestAPIClient({ url: paris.origin, accessToken: fanny.token });
    // masto.js sends multipart: source[privacy]=public, source[language]=de.
    const me = await masto.v1.accounts.updateCredentials({ source: { privacy: "public", language: "de" } });
    expect(me.source).toMatchObject({ privacy: "public", language: "de" });
    expect((await masto.v1.accounts.verifyCredentials()).source).toMatchObject({ privacy: "public", language: "de" });
    const post = await masto.v1.statuses.create({ status: "Guten Tag" });
    expect(post).toMatchObject({ visibility: "public", language: "de" });
    // What a post says explicitly wins over the defaults.
    expect(await masto.v1.statuses.create({ status: "Hello", visibility: "unlisted", language: "en" })).toMatchObject({ visibility: "unlisted", language: "en" });

    // The web composer starts from them too.
    const session = await createSession(paris.db.sql, fanny.account.id);
    const home = await (await fetch(`${paris.origin}/home`, { headers: { Cookie: `${SESSION_COOKIE}=${session.cookie}` } })).text();
    expect(home).toMatch(/<option value="public" selected>/);
    expect(home).toMatch(/<option value="de" lang="de" selected>/);

    // megalodon sends JSON; Ruche's own scope names are accepted; an empty language goes back to the interface's.
    const mega = generator("mastodon", paris.origin, fanny.token);
    await mega.updateCredentials({ source: { privacy: "internal", language: "" } } as unknown as Parameters<typeof mega.updateCredentials>[0]);
    const internal = await masto.v1.statuses.create({ status: "Entre nous" });
    expect((internal as unknown as { rucheVisibility: string }).rucheVisibility).toBe("internal");
    expect(internal.language).toBeNull();
    expect((await mega.verifyAccountCredentials()).data.source).toMatchObject({ privacy: "private", language: "" });

    // What cannot be a default, or cannot be honoured, is refused and changes nothing.
    const direct = await expectHttpError(masto.v1.accounts.updateCredentials({ source: { privacy: "direct" } }), 422);
    expect(direct.message).toMatch(/Source privacy/);
    await expectHttpError(masto.v1.accounts.updateCredentials({ source: { sensitive: true } }), 422);
    await expectHttpError(masto.v1.accounts.updateCredentials({ source: { language: "deutsch" } }), 422);
    expect((await masto.v1.accounts.verifyCredentials()).source).toMatchObject({ privacy: "private", sensitive: false });
    expect((await masto.v1.statuses.create({ status: "Toujours interne" }) as unknown as { rucheVisibility: string }).rucheVisibility).toBe("internal");
  });
});
