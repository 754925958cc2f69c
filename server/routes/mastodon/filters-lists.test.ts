// Filters v2 and lists through a real Mastodon client (masto.js) and the streaming WebSocket, issue #9 point 5:
// a `hide` filter on « café » keeps the post off the home timeline, the thread, the notifications and the streams;
// a `warn` filter returns it with `filtered`; a list has its members, its timeline (Link-paged) and its stream.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import WebSocket from "ws";
import { eventually, startTestInstance, type TestInstance } from "../../../test/instance.ts";

interface Message { stream?: string[]; event?: string; payload?: string; error?: string; status?: number }

/** A WebSocket on the multiplexed streaming API with every message kept, in order. */
async function openStream(inst: TestInstance, token: string, query: string, opts: { refused?: boolean } = {}) {
  const ws = new WebSocket(`${inst.url.replace("https", "wss")}/api/v1/streaming?${query}`, [token]);
  const messages: Message[] = [];
  ws.on("message", (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  if (!opts.refused) await eventually(async () => inst.instance.streaming.subscriptions() > 0, 10_000, "the subscription");
  const updates = () => messages.filter((m) => m.event === "update").map((m) => JSON.parse(m.payload!) as mastodon.v1.Status);
  return {
    ws, messages, updates,
    update: (id: string, what: string) => eventually(async () => updates().find((s) => s.id === id), 15_000, what),
    close: () => ws.close(),
  };
}

describe("Mastodon client API: filters and lists", () => {
  let paris: TestInstance;
  type User = Awaited<ReturnType<TestInstance["createUser"]>>;
  let claire: User, bruno: User, dora: User, eve: User;
  let asClaire: mastodon.rest.Client, asBruno: mastodon.rest.Client, asDora: mastodon.rest.Client;

  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    [claire, bruno, dora, eve] = await Promise.all(["claire", "bruno", "dora", "eve"].map((u) => paris.createUser(u)));
    [asClaire, asBruno, asDora] = [claire, bruno, dora].map((u) => createRestAPIClient({ url: paris.origin, accessToken: u.token }));
    await asClaire.v1.accounts.$select(bruno.account.id).follow();
    await asClaire.v1.accounts.$select(dora.account.id).follow();
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("manages a filter with its keywords and posts, with Mastodon's errors", async () => {
    const f = await asClaire.v2.filters.create({
      title: "Pauses", context: ["home", "thread"], filterAction: "warn", expiresIn: 86_400,
      keywordsAttributes: [{ keyword: "café", wholeWord: true }, { keyword: "thé", wholeWord: false }],
    });
    expect(f).toMatchObject({ title: "Pauses", context: ["home", "thread"], filterAction: "warn", statuses: [] });
    expect(f.keywords.map((k) => [k.keyword, k.wholeWord])).toEqual([["café", true], ["thé", false]]);
    expect(new Date(f.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 86_000_000);

    const updated = await asClaire.v2.filters.$select(f.id).update({
      title: "Pauses café", filterAction: "hide", keywordsAttributes: [{ id: f.keywords[1].id, _destroy: true }],
    } as mastodon.rest.v2.UpdateFilterParams);
    expect(updated).toMatchObject({ title: "Pauses café", filterAction: "hide" });
    expect(updated.keywords.map((k) => k.keyword)).toEqual(["café"]);

    const kw = await asClaire.v2.filters.$select(f.id).keywords.create({ keyword: "goûter" });
    expect((await asClaire.v2.filters.keywords.$select(kw.id).update({ keyword: "goûters", wholeWord: false }))).toMatchObject({ keyword: "goûters", wholeWord: false });
    const byDocPath = await fetch(`${paris.origin}/api/v2/filter_keywords/${kw.id}`, { headers: { Authorization: `Bearer ${claire.token}` } });
    expect(await byDocPath.json()).toEqual({ id: kw.id, keyword: "goûters", whole_word: false });
    await asClaire.v2.filters.keywords.$select(kw.id).remove();
    expect((await asClaire.v2.filters.$select(f.id).keywords.list()).map((k) => k.keyword)).toEqual(["café"]);

    const post = await asBruno.v1.statuses.create({ status: "Le compte rendu est en ligne" });
    const fs = await asClaire.v2.filters.$select(f.id).statuses.create({ statusId: post.id });
    expect(fs).toEqual({ id: expect.any(String), statusId: post.id });
    expect((await asClaire.v2.filters.statuses.$select(fs.id).fetch()).statusId).toBe(post.id);
    await asClaire.v2.filters.statuses.$select(fs.id).remove();
    expect(await asClaire.v2.filters.$select(f.id).statuses.list()).toEqual([]);

    // Bad input: Mastodon's error shape, nothing stored; another person's filter is not found.
    await expect(asClaire.v2.filters.create({ title: "x", context: ["everywhere" as "home"] })).rejects.toMatchObject({ statusCode: 422 });
    await expect(asClaire.v2.filters.create({ title: "", context: ["home"] })).rejects.toMatchObject({ statusCode: 422 });
    await expect(asClaire.v2.filters.create({ title: "x", context: ["home"], filterAction: "shout" as "warn" })).rejects.toMatchObject({ statusCode: 422 });
    await expect(asBruno.v2.filters.$select(f.id).fetch()).rejects.toMatchObject({ statusCode: 404, message: "Record not found" });
    await expect(asBruno.v2.filters.$select(f.id).remove()).rejects.toMatchObject({ statusCode: 404 });
    expect((await asClaire.v2.filters.list()).map((x) => x.title)).toEqual(["Pauses café"]);
    await asClaire.v2.filters.$select(f.id).remove();
    expect(await asClaire.v2.filters.list()).toEqual([]);
  });

  it("a hide filter on « café » keeps the post off home, the thread, notifications and the home stream; warn returns it with `filtered`", async () => {
    const stream = await openStream(paris, claire.token, "stream=user");
    try {
      const hide = await asClaire.v2.filters.create({
        title: "Café", context: ["home", "thread", "notifications"], filterAction: "hide", keywordsAttributes: [{ keyword: "café" }],
      });
      await eventually(async () => stream.messages.find((m) => m.event === "filters_changed"), 10_000, "filters_changed");
      const warn = await asClaire.v2.filters.create({ title: "Sport", context: ["home"], filterAction: "warn", keywordsAttributes: [{ keyword: "foot" }] });

      const root = await asClaire.v1.statuses.create({ status: "On fait une pause ?" });
      const cafe = await asBruno.v1.statuses.create({ status: `@claire Un Café !`, inReplyToId: root.id });
      const foot = await asBruno.v1.statuses.create({ status: "Le foot ce soir" });
      const plain = await asBruno.v1.statuses.create({ status: `@claire La salle 4 est libre`, inReplyToId: root.id });

      // The stream: the warned post with its filter, then the plain one; the café post never came before them.
      const warned = await stream.update(foot.id, "the warned post on the home stream");
      // (The stream's JSON as sent: snake_case, Mastodon's.)
      expect(warned.filtered).toEqual([{
        filter: { id: warn.id, title: "Sport", context: ["home"], expires_at: null, filter_action: "warn" }, keyword_matches: ["foot"], status_matches: null,
      }]);
      await stream.update(plain.id, "the plain reply on the home stream");
      expect(stream.updates().map((s) => s.id)).not.toContain(cafe.id);
      const notifications = stream.messages.filter((m) => m.event === "notification").map((m) => JSON.parse(m.payload!).status.id);
      await eventually(async () => stream.messages.find((m) => m.event === "notification" && JSON.parse(m.payload!).status.id === plain.id), 10_000, "the plain reply's notification");
      expect(notifications).not.toContain(cafe.id);

      const home = await asClaire.v1.timelines.home.list();
      expect(home.map((s) => s.id)).toEqual(expect.arrayContaining([plain.id, foot.id, root.id]));
      expect(home.map((s) => s.id)).not.toContain(cafe.id);
      expect(home.find((s) => s.id === foot.id)!.filtered).toEqual([expect.objectContaining({ keywordMatches: ["foot"], statusMatches: null })]);
      expect(home.find((s) => s.id === plain.id)!.filtered).toEqual([]);
      expect((await asClaire.v1.statuses.$select(root.id).context.fetch()).descendants.map((s) => s.id)).toEqual([plain.id]);
      const notified = (await asClaire.v1.notifications.list()).map((n) => n.status?.id);
      expect(notified).toContain(plain.id);
      expect(notified).not.toContain(cafe.id);
      // Public timelines are not among the filter's contexts.
      expect((await asClaire.v1.timelines.public.list({ local: true })).map((s) => s.id)).toContain(cafe.id);

      await asClaire.v2.filters.$select(hide.id).remove();
      expect((await asClaire.v1.timelines.home.list()).map((s) => s.id)).toContain(cafe.id);
    } finally {
      stream.close();
    }
  });

  it("lists: CRUD, members one follows (Link-paged), an account's lists, the list timeline and its stream", async () => {
    const list = await asClaire.v1.lists.create({ title: "Projet Ruche", repliesPolicy: "list", exclusive: false } as mastodon.rest.v1.CreateListParams);
    expect(list).toMatchObject({ title: "Projet Ruche", repliesPolicy: "list", exclusive: false });
    expect(await asClaire.v1.lists.$select(list.id).update({ title: "Projet Ruche 2", exclusive: true } as mastodon.rest.v1.UpdateListParams))
      .toMatchObject({ title: "Projet Ruche 2", exclusive: true });
    await asClaire.v1.lists.$select(list.id).accounts.create({ accountIds: [bruno.account.id, dora.account.id] });
    await expect(asClaire.v1.lists.$select(list.id).accounts.create({ accountIds: [eve.account.id] })).rejects.toMatchObject({ statusCode: 422 });
    await expect(asBruno.v1.lists.$select(list.id).fetch()).rejects.toMatchObject({ statusCode: 404 });

    const pages: string[][] = [];
    for await (const page of asClaire.v1.lists.$select(list.id).accounts.list({ limit: 1 })) pages.push(page.map((a) => a.id));
    expect(pages.filter((p) => p.length > 0)).toEqual([[dora.account.id], [bruno.account.id]]);
    const all = await fetch(`${paris.origin}/api/v1/lists/${list.id}/accounts?limit=0`, { headers: { Authorization: `Bearer ${claire.token}` } });
    expect((await all.json()).map((a: { id: string }) => a.id)).toEqual([dora.account.id, bruno.account.id]);
    expect((await asClaire.v1.accounts.$select(bruno.account.id).lists.list()).map((l) => l.id)).toEqual([list.id]);

    // The list stream: another person's list is refused; a member's post arrives, an outsider's does not.
    const refused = await openStream(paris, bruno.token, `stream=list&list=${list.id}`, { refused: true });
    const refusal = await eventually(async () => refused.messages.find((m) => m.status === 401), 10_000, "the refusal");
    expect(refusal.error).toBe("Not authorized to stream this list");
    refused.close();
    const stream = await openStream(paris, claire.token, `stream=list&list=${list.id}`);
    try {
      const outsider = await createRestAPIClient({ url: paris.origin, accessToken: eve.token }).v1.statuses.create({ status: "Pas dans la liste" });
      const first = await asDora.v1.statuses.create({ status: "Point d'étape du projet" });
      const second = await asBruno.v1.statuses.create({ status: "Démo vendredi" });
      const got = await stream.update(second.id, "the member's post on the list stream");
      expect(got.content).toContain("Démo vendredi");
      expect(stream.updates().map((s) => s.id)).toEqual([first.id, second.id]);
      expect(stream.messages[stream.messages.length - 1].stream).toEqual(["list", list.id]);
      expect(outsider.id < first.id).toBe(true);

      const timeline = await asClaire.v1.timelines.list.$select(list.id).list({ limit: 1 });
      expect(timeline.map((s) => s.id)).toEqual([second.id]);
      const res = await fetch(`${paris.origin}/api/v1/timelines/list/${list.id}?limit=1`, { headers: { Authorization: `Bearer ${claire.token}` } });
      expect(res.headers.get("Link")).toMatch(new RegExp(`max_id=${second.id}>; rel="next"`));
      // Exclusive: the members' posts left Claire's home.
      expect((await asClaire.v1.timelines.home.list()).map((s) => s.id)).not.toContain(second.id);
    } finally {
      stream.close();
    }

    await asClaire.v1.lists.$select(list.id).accounts.remove({ accountIds: [bruno.account.id] });
    expect((await asClaire.v1.lists.$select(list.id).accounts.list()).map((a) => a.id)).toEqual([dora.account.id]);
    await asClaire.v1.lists.$select(list.id).remove();
    expect(await asClaire.v1.lists.list()).toEqual([]);
    await expect(asClaire.v1.timelines.list.$select(list.id).list()).rejects.toMatchObject({ statusCode: 404 });
  });
});
