// The client API across two sibling instances: what a Mastodon app does on one side reaches the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { eventually, startSiblings, type TestInstance } from "../../../test/instance.ts";
import { findAccountByIri } from "../../domain/accounts/accounts.ts";

describe("Mastodon client API between sibling instances", () => {
  let paris: TestInstance, lyon: TestInstance;
  const clientFor = (inst: TestInstance, token: string): mastodon.rest.Client => createRestAPIClient({ url: inst.origin, accessToken: token });

  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("alice on Paris finds locked bob on Lyon by handle, asks to follow, bob authorizes, both lists show it", async () => {
    const alice = await paris.createUser("alice");
    const bob = await lyon.createUser("bob", { locked: true, displayName: "Bob Durand" });
    const aliceApp = clientFor(paris, alice.token), bobApp = clientFor(lyon, bob.token);

    // Without resolve=true, an unknown remote handle is not fetched.
    expect((await aliceApp.v2.search.list({ q: `@bob@${lyon.host}`, type: "accounts" })).accounts).toEqual([]);
    const found = await aliceApp.v2.search.list({ q: `@bob@${lyon.host}`, resolve: true, type: "accounts" });
    expect(found.accounts).toHaveLength(1);
    const remoteBob = found.accounts[0];
    expect(remoteBob).toMatchObject({ username: "bob", acct: `bob@${lyon.host}`, displayName: "Bob Durand", locked: true, uri: `${lyon.origin}/users/bob` });
    // Now known: a plain search and lookup find it without fetching.
    expect((await aliceApp.v2.search.list({ q: `bob@${lyon.host}` })).accounts.map((a) => a.id)).toEqual([remoteBob.id]);
    expect((await aliceApp.v1.accounts.lookup({ acct: `bob@${lyon.host}` })).id).toBe(remoteBob.id);

    expect(await aliceApp.v1.accounts.$select(remoteBob.id).follow()).toMatchObject({ following: false, requested: true });
    const requests = await eventually(async () => {
      const list = await bobApp.v1.followRequests.list();
      return list.length > 0 ? list : null;
    }, 15_000, "the follow request on Lyon");
    expect(requests.map((a) => a.acct)).toEqual([`alice@${paris.host}`]);
    const aliceOnLyon = requests[0];
    expect((await bobApp.v1.accounts.$select(bob.account.id).followers.list()).length).toBe(0);
    expect((await bobApp.v1.accounts.verifyCredentials()).source.followRequestsCount).toBe(1);

    const rel = await bobApp.v1.followRequests.$select(aliceOnLyon.id).authorize();
    expect(rel).toMatchObject({ id: aliceOnLyon.id, followedBy: true, requestedBy: false });
    await eventually(async () => (await aliceApp.v1.accounts.relationships.fetch({ id: [remoteBob.id] }))[0].following, 15_000,
      "the Accept reaching Paris");
    expect((await aliceApp.v1.accounts.$select(alice.account.id).following.list()).map((a) => a.acct)).toEqual([`bob@${lyon.host}`]);
    expect((await bobApp.v1.accounts.$select(bob.account.id).followers.list()).map((a) => a.acct)).toEqual([`alice@${paris.host}`]);
    expect(await bobApp.v1.followRequests.list()).toEqual([]);
    // Authorizing twice finds nothing pending.
    await expect(bobApp.v1.followRequests.$select(aliceOnLyon.id).authorize()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("carol's new display name and note on Lyon reach Paris, where dave follows her", async () => {
    const carol = await lyon.createUser("carol", { displayName: "Carol" });
    const dave = await paris.createUser("dave");
    const daveApp = clientFor(paris, dave.token), carolApp = clientFor(lyon, carol.token);
    const remoteCarol = (await daveApp.v2.search.list({ q: `${lyon.origin}/users/carol`, resolve: true })).accounts[0];
    expect(remoteCarol?.acct).toBe(`carol@${lyon.host}`);
    await daveApp.v1.accounts.$select(remoteCarol.id).follow();
    await eventually(async () => (await daveApp.v1.accounts.relationships.fetch({ id: [remoteCarol.id] }))[0].following, 15_000,
      "dave following carol");

    await carolApp.v1.accounts.updateCredentials({ displayName: "Carol Lefèvre", note: "Comptabilité, Lyon" });
    const copy = await eventually(async () => {
      const a = await findAccountByIri(paris.db.sql, `${lyon.origin}/users/carol`);
      return a?.displayName === "Carol Lefèvre" ? a : null;
    }, 15_000, "the Update(Person) reaching Paris");
    expect(copy.bioHtml).toContain("Comptabilité, Lyon");
    expect((await daveApp.v1.accounts.$select(remoteCarol.id).fetch()).displayName).toBe("Carol Lefèvre");
  });
});
