// Refused inbox POSTs are logged with their reason and the claimed signer (issue #8 point 8), at most 30 a minute.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../server/clock.ts";
import { startTestInstance, type TestInstance } from "../../test/instance.ts";
import { activity, deliver, newId, signedPost, startHostilePeer, type HostilePeer } from "../../test/hostile-peer.ts";
import { RefusalLog } from "./refusal-log.ts";
import { recordLogs } from "../../test/log-records.ts";

const records = recordLogs(["ruche", "federation", "guard"], "info");
describe("refusal log", () => {
  it("logs 30 refusals a minute, then counts the rest in one record", () => {
    records.length = 0;
    const clock = new ManualClock();
    const log = new RefusalLog({ clock });
    for (let i = 0; i < 100; i++) log.refused({ method: "POST", path: "/inbox", status: 401, error: "the request is not signed" });
    expect(records).toHaveLength(30);
    clock.advance(60_000);
    log.refused({ method: "POST", path: "/inbox", status: 401, error: "the request is not signed" });
    expect(records.map((r) => r.properties.count).filter(Boolean)).toEqual([70]);
    expect(records).toHaveLength(32);
  });

  describe("on a running instance", () => {
    let paris: TestInstance, outsider: HostilePeer;
    beforeAll(async () => {
      [paris, outsider] = await Promise.all([startTestInstance({ name: "Paris" }), startHostilePeer()]);
    });
    afterAll(async () => {
      await Promise.all([paris?.close(), outsider?.close()]);
    });

    it("says why an inbox POST was refused, and who claimed to sign it", async () => {
      records.length = 0;
      const unsigned = await fetch(`${paris.origin}/inbox`, { method: "POST", headers: { "content-type": "application/activity+json" }, body: "{}" });
      expect(unsigned.status).toBe(401);
      const eve = await outsider.createActor("eve");
      const refused = await deliver(await signedPost(eve, `${paris.origin}/inbox`, activity({ id: newId(eve.iri), type: "Like", actor: eve.iri, object: `${paris.origin}/x` })));
      expect(refused.status).toBe(403);
      expect(records.map((r) => [r.properties.status, r.properties.error, r.properties.signer])).toEqual([
        [401, "the request is not signed", null],
        [403, `${outsider.origin} is not a sibling of this instance`, outsider.origin],
      ]);
    });
  });
});
