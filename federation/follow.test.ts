// Two real instances over HTTPS on loopback, signatures on: the follow handshake end to end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startSiblings, type TestInstance } from "../test/instance.ts";
import { findAccountByIri } from "../server/domain/accounts/accounts.ts";
import { follow, authorizeFollowRequest, listFollowers, listFollowing, listFollowRequests } from "../server/domain/follows/follows.ts";
import { resolveHandle } from "./remote-actors.ts";

describe("follows between sibling instances", () => {
  let paris: TestInstance, lyon: TestInstance;
  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("alice on Paris follows locked bob on Lyon; bob authorizes; both sides see it", async () => {
    const alice = await paris.createUser("alice");
    const bob = await lyon.createUser("bob", { locked: true });
    const remoteBob = await resolveHandle(paris.instance.context(), `@bob@${lyon.host}`);
    expect(remoteBob?.iri).toBe(`${lyon.origin}/users/bob`);
    expect(remoteBob?.domain).toBe(lyon.host);
    expect(remoteBob?.locked).toBe(true);
    expect(await follow(paris.db.sql, paris.origin, alice.account.id, remoteBob!.id)).toBe("pending");
    const request = await eventually(async () => (await listFollowRequests(lyon.db.sql, bob.account.id)).items[0], 15_000, "follow request on Lyon");
    expect(request.iri).toBe(`${paris.origin}/users/alice`);
    // Nothing granted before the authorization.
    expect((await listFollowers(lyon.db.sql, bob.account.id)).items).toHaveLength(0);
    await authorizeFollowRequest(lyon.db.sql, bob.account.id, request.id);
    await eventually(async () => (await listFollowing(paris.db.sql, alice.account.id)).items.length === 1, 15_000, "Accept reaching Paris");
    expect((await listFollowers(lyon.db.sql, bob.account.id)).items.map((a) => a.iri)).toEqual([`${paris.origin}/users/alice`]);
    const stored = await findAccountByIri(paris.db.sql, `${lyon.origin}/users/bob`);
    expect(stored?.username).toBe("bob");
  });
});
