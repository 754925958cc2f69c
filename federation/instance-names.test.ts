// Issue #8 points 10 and 31: a sibling is shown by the name its own NodeInfo publishes (not `localhost:9402`), and so
// are its people; what a profile claims — another instance's name, a manager on another instance — is not believed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import { AS_CONTEXT, SECURITY_CONTEXT, startHostilePeer, type HostilePeer } from "../test/hostile-peer.ts";
import { recordLogs } from "../test/log-records.ts";
import { findAccountByIri } from "../server/domain/accounts/accounts.ts";
import { getProfile } from "../server/domain/profiles/profiles.ts";

const records = recordLogs(["ruche", "federation", "directory"], "warning");

function serveNodeInfo(peer: HostilePeer, info: Record<string, unknown>) {
  peer.route("/.well-known/nodeinfo", {
    contentType: "application/json",
    body: { links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: peer.url("/nodeinfo/2.1") }] },
  });
  peer.route("/nodeinfo/2.1", { contentType: "application/json", body: { version: "2.1", protocols: ["activitypub"], ...info } });
}

describe("instance names", () => {
  let paris: TestInstance, lyon: TestInstance, peer: HostilePeer;
  beforeAll(async () => {
    [paris, lyon, peer] = await Promise.all([startTestInstance({ name: "Paris" }), startTestInstance({ name: "Acme Lyon" }), startHostilePeer()]);
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), peer?.close()]);
  });

  it("a new sibling is shown by the name in its NodeInfo, on the front page and for its people", async () => {
    const eloise = await lyon.createUser("eloise");
    await lyon.db.sql`UPDATE profiles SET job_title = 'SRE' WHERE account_id = ${eloise.account.id}`;
    await lyon.addSibling(paris.origin);
    await paris.addSibling(lyon.origin);
    const front = await eventually(async () => {
      const html = await (await fetch(`${paris.origin}/`, { headers: { "Accept-Language": "en" } })).text();
      return html.includes(">Acme Lyon</a>") ? html : null;
    }, 20_000, "Lyon's name on Paris's front page");
    expect(front).toContain(`<a href="${lyon.origin}" translate="no">Acme Lyon</a>`);
    const profile = await eventually(async () => {
      const a = await findAccountByIri(paris.db.sql, `${lyon.origin}/users/eloise`);
      return a ? await getProfile(paris.db.sql, a.id) : null;
    }, 20_000, "Lyon's directory on Paris");
    expect(profile.instanceName).toBe("Acme Lyon");
  });

  it("a sibling cannot hang its people under another instance's manager nor give them another instance's name", async () => {
    const ceo = await paris.createUser("ceo");
    serveNodeInfo(peer, { software: { name: "hollo", version: "0.6" }, metadata: { nodeName: "Peer Corp" } });
    const mallory = await peer.createActor("mallory");
    const person = {
      ...mallory.document,
      "@context": [AS_CONTEXT, SECURITY_CONTEXT, { ruche: "https://ruche.social/ns#", rucheProfile: { "@id": "ruche:profile", "@type": "@json" } }],
      discoverable: true,
      rucheProfile: {
        version: 1, scope: "internal", instance: { name: "Paris", origin: paris.origin }, jobTitle: "Directeur adjoint",
        manager: ceo.account.iri, expertise: [], languages: [], career: [], customFields: [],
      },
    };
    peer.route("/ap/directory/people", { body: { "@context": AS_CONTEXT, type: "OrderedCollectionPage", orderedItems: [person] } });
    records.length = 0;
    await paris.addSibling(peer.origin);
    const stored = await eventually(async () => {
      const a = await findAccountByIri(paris.db.sql, mallory.iri);
      const p = a ? await getProfile(paris.db.sql, a.id) : null;
      return p?.instanceName ? p : null;
    }, 20_000, "the peer's person and name on Paris");
    expect(stored).toMatchObject({ jobTitle: "Directeur adjoint", manager: null, instanceName: "Peer Corp" });
    expect(records.map((r) => [r.properties.manager, r.properties.origin])).toEqual([[ceo.account.iri, peer.origin]]);
  });
});
