// SSRF (corpus case 17) on an instance started as in production, WITHOUT RUCHE_ALLOW_PRIVATE_ADDRESS: sibling-allowed
// origins whose keys, actors and inboxes sit at loopback, link-local (cloud metadata), "this host" and their numeric
// disguises. Counting listeners on 127.0.0.1 and [::1] prove that nothing connects to them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import { deliver, followActivity, generateRsaKeys, signedPost, startCountingListener } from "../test/hostile-peer.ts";
import { upsertRemoteAccount, type LocalUser } from "../server/domain/accounts/accounts.ts";
import { follow } from "../server/domain/follows/follows.ts";
import { refreshActor, resolveHandle } from "./remote-actors.ts";
import { jobsOf } from "../server/jobs/admin.ts";

let inst: TestInstance, v4: Awaited<ReturnType<typeof startCountingListener>>, v6: typeof v4;
let alice: LocalUser;
/** Private origins as a peer would write them; the sibling list holds their normalised forms. */
let origins: string[];

beforeAll(async () => {
  [inst, v4, v6] = await Promise.all([
    startTestInstance({ name: "Rennes", env: { RUCHE_ALLOW_PRIVATE_ADDRESS: "false" } }),
    startCountingListener("127.0.0.1"),
    startCountingListener("::1"),
  ]);
  origins = [
    `https://127.0.0.1:${v4.port}`,
    `https://[::1]:${v6.port}`,
    `https://2130706433:${v4.port}`, // decimal 127.0.0.1
    `https://0x7f.1:${v4.port}`, // hex/short form of 127.0.0.1
    `https://0.0.0.0:${v4.port}`, // "this host": Linux connects it to loopback
    `https://[::ffff:127.0.0.1]:${v4.port}`, // IPv4-mapped
    `https://[::]:${v6.port}`, // unspecified (Mastodon CVE-2026-46348)
    "http://169.254.169.254", // cloud metadata
    "http://10.0.0.1",
  ];
  for (const o of origins) await inst.addSibling(o); // the sibling policy is not what is under test here
  alice = await inst.createUser("alice");
});
afterAll(async () => {
  await Promise.all([inst?.close(), v4?.close(), v6?.close()]);
});

describe("case 17: no connection to private addresses", () => {
  it("the instance really runs without RUCHE_ALLOW_PRIVATE_ADDRESS", () => {
    expect(inst.instance.config.allowPrivateAddress).toBe(false);
  });

  it("a delivery whose actor and key live at a private address is refused without fetching them", async () => {
    const keys = await generateRsaKeys();
    for (const origin of origins) {
      const actor = `${origin}/users/x`;
      const signer = { privateKey: keys.privateKey, keyId: `${actor}#main-key` };
      const reply = await deliver(await signedPost(signer, `${alice.account.iri}/inbox`, followActivity(actor, alice.account.iri)));
      expect(reply.status, origin).toBe(401);
      expect(reply.error).toBe("the signing key does not belong to the activity's actor");
      expect(reply.ms, origin).toBeLessThan(2_000); // no connection attempt to a black hole such as 169.254.169.254
    }
    expect(v4.connections()).toBe(0);
    expect(v6.connections()).toBe(0);
  });

  it("the document loaders, actor refresh and WebFinger refuse them too", async () => {
    const ctx = inst.instance.context();
    const signedLoader = await ctx.getDocumentLoader({ identifier: "instance.actor" });
    for (const origin of origins) {
      const url = `${origin}/users/x`;
      for (const loader of [ctx.documentLoader, signedLoader]) {
        const error = await loader(url).then(() => null, (e: Error) => e);
        expect(error, url).toBeInstanceOf(Error);
        expect((error?.cause as { code?: string } | undefined)?.code, url).toBe("private_address");
      }
      expect(await refreshActor(ctx, url)).toBeNull();
    }
    expect(await resolveHandle(ctx, `@x@127.0.0.1:${v4.port}`)).toBeNull();
    expect(await resolveHandle(ctx, `@x@[::1]:${v6.port}`)).toBeNull();
    expect(v4.connections()).toBe(0);
    expect(v6.connections()).toBe(0);
  });

  it("the outbox worker never delivers to an inbox at a private address", async () => {
    const targets = [
      { origin: `https://127.0.0.1:${v4.port}`, inbox: `https://127.0.0.1:${v4.port}/users/t/inbox` },
      { origin: `https://[::1]:${v6.port}`, inbox: `https://[::1]:${v6.port}/inbox` },
      { origin: "http://169.254.169.254", inbox: "http://169.254.169.254/latest/meta-data/inbox" },
    ];
    for (const [i, t] of targets.entries()) {
      // Stored as if fetched earlier (no fetch can succeed here), with an inbox on its own origin.
      const account = await upsertRemoteAccount(inst.db.sql, {
        iri: `${t.origin}/users/t${i}`, username: `t${i}`, domain: new URL(t.origin).host, actorType: "Person",
        inboxUrl: t.inbox, sharedInboxUrl: null, followersUrl: null, followingUrl: null, url: null, displayName: "",
        bioHtml: "", avatarUrl: null, headerUrl: null, locked: false, discoverable: false, followersCount: null, followingCount: null,
      });
      expect(await follow(inst.db.sql, inst.origin, alice.account.id, account.id)).toBe("pending");
    }
    // Each unsafe recipient is dropped on its own (federation/recipients.ts), so the jobs complete without any
    // connection to the private addresses.
    await eventually(async () => {
      const jobs = await jobsOf(inst.db.sql, "deliver", { kind: "follow" });
      return jobs.length > 0 && jobs.every((j) => j.state === "completed");
    }, 15_000, "the delivery jobs to handle every follow");
    expect(v4.connections()).toBe(0);
    expect(v6.connections()).toBe(0);
  });
});
