// The platform issue's "done when", as an operator and two employees would live it: two instances started as
// processes on their own embedded databases, made siblings with the CLI, a follow through the Mastodon API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient, type mastodon } from "masto";
import { eventually } from "./instance.ts";
import { startProcessInstance, type ProcessInstance } from "./process-instance.ts";

describe("two sibling instances run from the CLI", () => {
  let paris: ProcessInstance, lyon: ProcessInstance, outsider: ProcessInstance;
  let alice: mastodon.rest.Client, bob: mastodon.rest.Client, eve: mastodon.rest.Client;

  beforeAll(async () => {
    [paris, lyon, outsider] = await Promise.all([startProcessInstance("paris"), startProcessInstance("lyon"), startProcessInstance("outsider")]);
    await paris.cli("sibling", "add", lyon.origin);
    await lyon.cli("sibling", "add", paris.origin);
    // The outsider thinks Lyon is its sibling; Lyon does not agree.
    await outsider.cli("sibling", "add", lyon.origin);
    await paris.cli("user", "create", "alice");
    await lyon.cli("user", "create", "bob", "--locked");
    await outsider.cli("user", "create", "eve");
    const token = async (i: ProcessInstance, u: string) => (await i.cli("token", "create", u)).trim().split("\n").at(-1)!;
    alice = createRestAPIClient({ url: paris.origin, accessToken: await token(paris, "alice") });
    bob = createRestAPIClient({ url: lyon.origin, accessToken: await token(lyon, "bob") });
    eve = createRestAPIClient({ url: outsider.origin, accessToken: await token(outsider, "eve") });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([paris?.stop(), lyon?.stop(), outsider?.stop()]);
  });

  it("alice follows locked bob, bob authorizes, both sides show it, and bob's profile change reaches Paris", async () => {
    const found = await alice.v2.search.list({ q: `@bob@${lyon.host}`, resolve: true, type: "accounts" });
    expect(found.accounts.map((a) => a.acct)).toEqual([`bob@${lyon.host}`]);
    const remoteBob = found.accounts[0];
    expect(remoteBob.locked).toBe(true);
    const rel = await alice.v1.accounts.$select(remoteBob.id).follow();
    expect(rel.requested).toBe(true);
    expect(rel.following).toBe(false);

    const requests = await eventually(async () => {
      const list = await bob.v1.followRequests.list();
      return list.length > 0 ? list : null;
    }, 20_000, "the follow request on Lyon");
    expect(requests[0].acct).toBe(`alice@${paris.host}`);
    await bob.v1.followRequests.$select(requests[0].id).authorize();

    await eventually(async () => (await alice.v1.accounts.relationships.fetch({ id: [remoteBob.id] }))[0]?.following, 20_000, "Accept reaching Paris");
    const me = await alice.v1.accounts.verifyCredentials();
    expect((await alice.v1.accounts.$select(me.id).following.list()).map((a) => a.acct)).toEqual([`bob@${lyon.host}`]);
    const bobMe = await bob.v1.accounts.verifyCredentials();
    expect((await bob.v1.accounts.$select(bobMe.id).followers.list()).map((a) => a.acct)).toEqual([`alice@${paris.host}`]);

    await bob.v1.accounts.updateCredentials({ displayName: "Bob Lyonnais", note: "Logistique, site de Lyon" });
    const updated = await eventually(async () => {
      const a = await alice.v1.accounts.$select(remoteBob.id).fetch();
      return a.displayName === "Bob Lyonnais" ? a : null;
    }, 20_000, "bob's Update(Person) reaching Paris");
    expect(updated.note).toContain("Logistique, site de Lyon");
  });

  it("refuses the outsider: its lookups and deliveries get nothing, its signed requests 403", async () => {
    // The outsider's server tries to find bob to follow him: Lyon answers 403 to its signed actor fetch, so the
    // lookup comes back empty — there is nobody to send a Follow to (a forged delivery is refused below).
    const found = await eve.v2.search.list({ q: `@bob@${lyon.host}`, resolve: true, type: "accounts" });
    expect(found.accounts.map((a) => a.acct)).toEqual([]);
    expect((await bob.v1.followRequests.list()).map((a) => a.acct)).toEqual([]);
    // An unsigned fetch of a non-public object.
    const unsigned = await fetch(`${lyon.origin}/users/bob/followers`, { headers: { Accept: "application/activity+json" } });
    expect(unsigned.status).toBe(401);
    // A signed delivery from the outsider (its key is real, the origin is not a sibling).
    const signed = await fetch(`${lyon.origin}/inbox`, {
      method: "POST",
      headers: { "Content-Type": "application/activity+json", Signature: `keyId="${outsider.origin}/users/eve#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAAA"` },
      body: "{}",
    });
    expect(signed.status).toBe(403);
  });
});
