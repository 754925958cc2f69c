// GET /api/v1/instance and /api/v2/instance: public, in Mastodon's shapes, with statistics from the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient } from "masto";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { upsertRemoteAccount } from "../../domain/accounts/accounts.ts";
import { createPost } from "../../domain/posts/posts.ts";

describe("Mastodon client API: instance", () => {
  let lyon: TestInstance;
  let zoe: Awaited<ReturnType<TestInstance["createUser"]>>;
  // No token: clients read the instance before signing in.
  const anonymous = () => createRestAPIClient({ url: lyon.origin });

  beforeAll(async () => {
    lyon = await startTestInstance({ name: "Lyon", federation: "open" });
    await lyon.createUser("admin", { admin: true, displayName: "Service informatique" });
    zoe = await lyon.createUser("zoe");
    await upsertRemoteAccount(lyon.db.sql, {
      iri: "https://paris.example/users/ana", username: "ana", domain: "paris.example", actorType: "Person", inboxUrl: null,
      sharedInboxUrl: null, followersUrl: null, followingUrl: null, url: null, displayName: "Ana", bioHtml: "", avatarUrl: null,
      headerUrl: null, locked: false, discoverable: true, followersCount: null, followingCount: null,
    });
  });
  afterAll(async () => {
    await lyon?.close();
  });

  it("v1 has uri, title, version, stats and limits", async () => {
    const v1 = await anonymous().v1.instance.fetch();
    expect(v1).toMatchObject({
      uri: lyon.host,
      title: "Lyon",
      version: "4.0.0 (compatible; Ruche 0.1.0)",
      registrations: false,
      approvalRequired: false,
      stats: { userCount: 2, statusCount: 0, domainCount: 1 },
      languages: ["fr", "en"],
      urls: { streamingApi: lyon.origin.replace("https:", "wss:") },
      configuration: {
        statuses: { maxCharacters: 5000 },
        mediaAttachments: { supportedMimeTypes: ["image/png", "image/jpeg", "image/gif", "image/webp"], imageSizeLimit: 10 * 1024 * 1024 },
      },
      rules: [],
    });
    expect(v1.contactAccount).toMatchObject({ username: "admin", displayName: "Service informatique" });
  });

  it("v2 has domain, usage, thumbnail, configuration.urls, registrations and contact", async () => {
    const v2 = await anonymous().v2.instance.fetch();
    expect(v2).toMatchObject({
      domain: lyon.host,
      title: "Lyon",
      version: expect.stringMatching(/^4\.0\.0 \(compatible; Ruche /),
      usage: { users: { activeMonth: expect.any(Number) } },
      thumbnail: { url: `${lyon.origin}/static/header-missing.png` },
      languages: ["fr", "en"],
      configuration: {
        urls: { streaming: lyon.origin.replace("https:", "wss:") },
        accounts: { maxDisplayNameLength: 100, maxNoteLength: 1000 },
        translation: { enabled: false },
      },
      registrations: { enabled: false, approvalRequired: false },
      contact: { account: { username: "admin" } },
      rules: [],
    });
    expect((await fetch(v2.thumbnail.url)).status).toBe(200);
    // Browser clients on other origins may read the API and its Link headers.
    const res = await fetch(`${lyon.origin}/api/v2/instance`, { headers: { Origin: "https://elk.example" } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });

  it("in open federation mode, public reads work without a token; resolving still needs one", async () => {
    const found = await anonymous().v2.search.list({ q: "zo" });
    expect(found.accounts.map((a) => a.acct)).toEqual(["zoe"]);
    expect((await anonymous().v1.accounts.lookup({ acct: "ana@paris.example" })).displayName).toBe("Ana");
    await expect(anonymous().v2.search.list({ q: "@ana@paris.example", resolve: true })).rejects.toMatchObject({ statusCode: 401 });
    await expect(anonymous().v1.accounts.verifyCredentials()).rejects.toMatchObject({ statusCode: 401 });
  });

  it("v1, v2 and NodeInfo give the same true figures, and promise nothing that is missing (issue #8 point 13)", async () => {
    const post = (text: string, extra: Partial<Parameters<typeof createPost>[3]> = {}) =>
      createPost(lyon.db.sql, lyon.origin, zoe.account.id, { text, visibility: "internal", ...extra });
    const first = await post("Bonjour");
    await post("Deuxième");
    await post("Réponse", { inReplyToId: first.id });
    await post("@admin en privé", { visibility: "direct" }); // not counted, as Mastodon does not count them
    // zoe uses her token this month; the admin has not signed in at all.
    const client = createRestAPIClient({ url: lyon.origin, accessToken: zoe.token });
    await client.v1.accounts.verifyCredentials();

    const [v1, v2] = await Promise.all([anonymous().v1.instance.fetch(), anonymous().v2.instance.fetch()]);
    const links = await (await fetch(`${lyon.origin}/.well-known/nodeinfo`)).json();
    const nodeinfo = await (await fetch(links.links[0].href)).json();
    expect(v1.stats).toEqual({ userCount: 2, statusCount: 3, domainCount: 1 });
    expect(nodeinfo.usage).toEqual({ users: { total: 2, activeMonth: 1, activeHalfyear: 1 }, localPosts: 3, localComments: 1 });
    expect(v2.usage.users.activeMonth).toBe(1);
    // Pinning works, up to five posts: both documents say so.
    expect((v1.configuration?.accounts as { maxPinnedStatuses?: number } | undefined)?.maxPinnedStatuses).toBe(5);
    expect((v2.configuration.accounts as { maxPinnedStatuses?: number }).maxPinnedStatuses).toBe(5);
    expect((await client.v1.statuses.$select(first.id).pin()).pinned).toBe(true);
    // Web Push: the instance's VAPID key, an uncompressed P-256 point, the same in both documents. No public
    // repository: no homepage, no source_url.
    expect(Buffer.from(v2.configuration.vapid.publicKey, "base64url")).toHaveLength(65);
    expect((v1.configuration as { vapid?: { publicKey: string } }).vapid?.publicKey).toBe(v2.configuration.vapid.publicKey);
    expect(v2).not.toHaveProperty("sourceUrl");
    expect(v2).not.toHaveProperty("apiVersions");
    expect(nodeinfo.software).toEqual({ name: "ruche", version: "0.1.0" });
    // The about page exists, for visitors and for signed-in people alike.
    const about = await fetch((v2.configuration.urls as { about?: string }).about!);
    expect(about.status).toBe(200);
    expect(await about.text()).toContain("Lyon");
  });

  it("endpoints Ruche does not implement say so, apart from a missing record (issue #8 point 13)", async () => {
    const call = (method: string, path: string) =>
      fetch(`${lyon.origin}${path}`, { method, headers: { Authorization: `Bearer ${zoe.token}` } });
    const first = await createPost(lyon.db.sql, lyon.origin, zoe.account.id, { text: "Là", visibility: "internal" });
    for (const [method, path] of [
      ["GET", "/api/v2/notifications"], ["GET", "/api/v1/admin/trends/links"], ["POST", `/api/v1/statuses/${first.id}/translate`],
      ["GET", `/api/v1/accounts/${zoe.account.id}/featured_tags`], ["DELETE", "/api/v1/instance"], ["GET", "/api/v1/admin/accounts"],
    ]) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toEqual({ error: `This endpoint does not exist: ${method} ${path}`, code: "endpoint_not_found" });
    }
    const missing = await call("GET", "/api/v1/statuses/999999999");
    expect(await missing.json()).toEqual({ error: "Record not found" });
  });
});
