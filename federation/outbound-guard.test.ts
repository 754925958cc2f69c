// Fedify 2.3.6 follows an inbox's redirect without checking where it points; the process-wide guard refuses the
// hop to a private address. A real instance delivers a Follow to a peer whose inbox answers 307 → a loopback port.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
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
  }

  it("without the guard, Fedify's delivery follows the redirect to the private address (what we protect against)", async () => {
    const before = listener.connections();
    await followVia("unguarded");
    // The positive signal: the listener on the private address was reached by the redirected delivery.
    await eventually(async () => listener.connections() > before, 15_000, "the redirected delivery reaching the listener");
  });

  it("with the guard, the redirect hop to a private address is refused", async () => {
    const before = listener.connections();
    const instancePort = new URL(inst.origin).port, peerPort = new URL(peer.origin).port;
    const refused: string[] = [];
    const uninstall = installOutboundGuard({
      allow: (u) => u.hostname === "localhost" && (u.port === instancePort || u.port === peerPort),
      onRefused: (u) => refused.push(u.href),
    });
    try {
      await followVia("guarded");
      // The positive signal: the guard refused the redirect hop to the listener, and nothing reached it.
      const steal = `http://127.0.0.1:${listener.port}/steal`;
      await eventually(async () => refused.includes(steal), 15_000, "the guard refusing the redirect hop");
      expect(listener.connections()).toBe(before);
      await expect(fetch(`http://127.0.0.1:${listener.port}/direct`)).rejects.toThrow(/private/i);
    } finally {
      uninstall();
    }
  });
});
