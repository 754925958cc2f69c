// Blocks through the Mastodon API with a real client (masto.js), issue #8 point 14: block and unblock answer the
// relationship (`blocking`, and `blocked_by` seen from the other side), GET /api/v1/blocks pages with Link headers,
// and the blocked person's posts leave the blocker's home timeline, thread and notifications.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";

describe("Mastodon client API: blocks", () => {
  let paris: TestInstance;
  type User = Awaited<ReturnType<TestInstance["createUser"]>>;
  let claire: User, bruno: User, dora: User;
  let asClaire: mastodon.rest.Client, asBruno: mastodon.rest.Client;

  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    [claire, bruno, dora] = await Promise.all(["claire", "bruno", "dora"].map((u) => paris.createUser(u)));
    asClaire = createRestAPIClient({ url: paris.origin, accessToken: claire.token });
    asBruno = createRestAPIClient({ url: paris.origin, accessToken: bruno.token });
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("Claire blocks Bruno: relationships on both sides, his posts gone from her home, thread and notifications", async () => {
    await asClaire.v1.accounts.$select(bruno.account.id).follow();
    await asBruno.v1.accounts.$select(claire.account.id).follow();
    const root = await asClaire.v1.statuses.create({ status: "pot de départ vendredi", visibility: "public" });
    const reply = await asBruno.v1.statuses.create({ status: "@claire j'apporte le gâteau", visibility: "public", inReplyToId: root.id });
    // Control: before the block, his answer is everywhere she looks.
    expect((await asClaire.v1.timelines.home.list()).map((s) => s.id)).toContain(reply.id);
    expect((await asClaire.v1.statuses.$select(root.id).context.fetch()).descendants.map((s) => s.id)).toEqual([reply.id]);
    expect((await asClaire.v1.notifications.list()).map((n) => n.account.id)).toContain(bruno.account.id);

    const rel = await asClaire.v1.accounts.$select(bruno.account.id).block();
    expect(rel).toMatchObject({ id: bruno.account.id, blocking: true, blockedBy: false, following: false, followedBy: false });
    const [seenByBruno] = await asBruno.v1.accounts.relationships.fetch({ id: [claire.account.id] });
    expect(seenByBruno).toMatchObject({ blocking: false, blockedBy: true, following: false });

    expect((await asClaire.v1.timelines.home.list()).map((s) => s.id)).toEqual([root.id]);
    expect((await asClaire.v1.statuses.$select(root.id).context.fetch()).descendants).toEqual([]);
    expect((await asClaire.v1.notifications.list()).map((n) => n.account.id)).not.toContain(bruno.account.id);
    // Bruno: her posts are out of reach, following and liking are refused.
    await expect(asBruno.v1.statuses.$select(root.id).fetch()).rejects.toMatchObject({ statusCode: 404 });
    await expect(asBruno.v1.statuses.$select(root.id).favourite()).rejects.toMatchObject({ statusCode: 404 });
    await expect(asBruno.v1.accounts.$select(claire.account.id).follow()).rejects.toMatchObject({ statusCode: 403 });
    // Blocking oneself is a clear 422.
    await expect(asClaire.v1.accounts.$select(claire.account.id).block()).rejects.toMatchObject({ statusCode: 422 });
  });

  it("lists blocked people newest first, one page at a time through the Link header; unblock removes them", async () => {
    await asClaire.v1.accounts.$select(dora.account.id).block();
    const pages: string[][] = [];
    for await (const page of asClaire.v1.blocks.list({ limit: 1 })) pages.push(page.map((a) => a.id));
    expect(pages.filter((p) => p.length > 0)).toEqual([[dora.account.id], [bruno.account.id]]);
    const res = await fetch(`${paris.origin}/api/v1/blocks?limit=1`, { headers: { Authorization: `Bearer ${claire.token}` } });
    expect(res.headers.get("Link")).toMatch(/max_id=\d+>; rel="next"/);

    const rel = await asClaire.v1.accounts.$select(bruno.account.id).unblock();
    expect(rel.blocking).toBe(false);
    expect((await asClaire.v1.blocks.list()).map((a) => a.id)).toEqual([dora.account.id]);
    const [seenByBruno] = await asBruno.v1.accounts.relationships.fetch({ id: [claire.account.id] });
    expect(seenByBruno.blockedBy).toBe(false);
  });
});
