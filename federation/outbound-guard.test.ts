// Fedify 2.3.6 follows an inbox's redirect without checking where it points; the process-wide guard refuses the
// hop to a private address. A real instance delivers a Follow to a peer whose inbox answers 307 → a loopback port.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../test/instance.ts";
import { startCountingListener, startHostilePeer, type HostilePeer } from "../test/hostile-peer.ts";
import { follow } from "../server/domain/follows/follows.ts";
import { resolveActorByIri } from "./remote-actors.ts";
import { installOutboundGuard } from "./outbound-guard.ts";

describe("outbound guard", () => {
  let inst: TestInstance, peer: HostilePeer, listener: Awaited<ReturnType<typeof startCountingListener>>;
  beforeAll(async () => {
    [inst, peer, listener] = await Promise.all([startTestInstance({ name: "Paris" }), startHostilePeer(), startCountingListener("127.0.0.1")]);
    await inst.addSibling(peer.origin);
  });
  afterAll(async () => {
    await Promise.all([inst?.close(), peer?.close(), listener?.close()]);
  });

  async function followVia(name: string): Promise<void> {
    const actor = await peer.createActor(name);
    // Its inboxes (personal and shared) bounce every delivery to the loopback listener.
    const bounce = { status: 307, headers: { Location: `http://127.0.0.1:${listener.port}/steal` }, body: "" };
    peer.route(new URL(actor.inbox).pathname, bounce);
    peer.route("/inbox", bounce);
    const alice = await inst.createUser(`alice_${name}`);
    const remote = await resolveActorByIri(inst.instance.context(), actor.iri, { maxAgeMs: 0 });
    expect(remote?.inboxUrl).toBe(actor.inbox);
    await follow(inst.db.sql, inst.origin, alice.account.id, remote!.id);
    const deadline = Date.now() + 15_000;
    const delivered = () => peer.received.filter((r) => r.method === "POST" && r.body.includes(`alice_${name}`)).length;
    while (delivered() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(delivered()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500)); // time for the redirect hop to be tried
  }

  it("without the guard, Fedify's delivery follows the redirect to the private address (what we protect against)", async () => {
    await followVia("unguarded");
    expect(listener.connections()).toBeGreaterThan(0);
  });

  it("with the guard, the redirect hop to a private address is refused", async () => {
    const before = listener.connections();
    const instancePort = new URL(inst.origin).port, peerPort = new URL(peer.origin).port;
    const uninstall = installOutboundGuard({ allow: (u) => u.hostname === "localhost" && (u.port === instancePort || u.port === peerPort) });
    try {
      await followVia("guarded");
      expect(listener.connections()).toBe(before);
      await expect(fetch(`http://127.0.0.1:${listener.port}/direct`)).rejects.toThrow(/private/i);
    } finally {
      uninstall();
    }
  });
});
