// Issue #3's "Done when", between real instances over HTTPS: a Lyon employee edits expertise and career; a Paris
// employee finds them by expertise, sees their contact card and manager chain, and a Mastodon client reading the
// Lyon account sees the PropertyValue fields. A non-sibling server never receives internal fields.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient } from "masto";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import { AP_JSON, deliver, followActivity, signedGet, signedPost, startHostilePeer, type HostilePeer } from "../test/hostile-peer.ts";
import { INSTANCE_ACTOR } from "./context.ts";
import { updateLocalProfile } from "../server/domain/profiles/profiles.ts";

const PHONE = "+33 4 72 00 00 42";

describe("employee profiles across sibling instances", () => {
  let paris: TestInstance, lyon: TestInstance, outsider: HostilePeer;
  beforeAll(async () => {
    // Lyon federates openly (public content reaches the fediverse); Paris is its sibling, the peer is not.
    [paris, lyon, outsider] = await Promise.all([
      startTestInstance({ name: "Paris" }), startTestInstance({ name: "Lyon", federation: "open" }), startHostilePeer(),
    ]);
    await paris.addSibling(lyon.origin);
    await lyon.addSibling(paris.origin);
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close(), outsider?.close()]);
  });

  const api = async (inst: TestInstance, token: string, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${inst.origin}${path}`, {
      ...init, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...init.headers },
    });
    return { status: res.status, body: await res.json() as any };
  };

  it("a Paris employee finds a Lyon expert by tag, with contact card, manager chain and Mastodon fields", async () => {
    const marc = await lyon.createUser("marc", { displayName: "Marc Girard" });
    const eloise = await lyon.createUser("eloise", { displayName: "Éloïse Lefèvre" });
    const alice = await paris.createUser("alice", { displayName: "Alice Martin" });

    expect((await api(lyon, marc.token, "/api/ruche/v1/profiles/me", { method: "PATCH", body: JSON.stringify({ job_title: "Directeur technique" }) })).status).toBe(200);
    // Refused input comes back with every problem, field by field.
    const bad = await api(lyon, eloise.token, "/api/ruche/v1/profiles/me", {
      method: "PATCH", body: JSON.stringify({ work_email: "nope", career: [{ role: "", from: "2020-13" }] }),
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.details).sort()).toEqual(["career.0.from", "career.0.role", "work_email"]);
    const saved = await api(lyon, eloise.token, "/api/ruche/v1/profiles/me", {
      method: "PATCH",
      body: JSON.stringify({
        job_title: "Ingénieure plateforme", department: "Infrastructure", site: "Lyon Part-Dieu", work_phone: PHONE,
        work_email: "eloise@lyon.acme.example", manager: "marc", expertise: ["Kubernetes", "#Droit-Social"], languages: "fr, en",
        career: [{ role: "SRE", organisation: "Acme Lyon", from: "2021-01", to: null }, { role: "Admin sys", organisation: "Banque X", from: "2015-09", to: "2020-12" }],
        visibility: { jobTitle: "public", expertise: "public" },
      }),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.profile).toMatchObject({ expertise: ["kubernetes", "droit-social"], manager_uri: `${lyon.origin}/users/marc` });
    // A PATCH naming one visibility changes that one only (it used to reset the others to internal: issue #8 point 4).
    const one = await api(lyon, eloise.token, "/api/ruche/v1/profiles/me", { method: "PATCH", body: JSON.stringify({ visibility: { site: "public" } }) });
    expect(one.body.profile.visibility).toMatchObject({ jobTitle: "public", expertise: "public", site: "public", department: "internal" });
    const back = await api(lyon, eloise.token, "/api/ruche/v1/profiles/me", { method: "PATCH", body: JSON.stringify({ visibility: { site: "internal" } }) });
    expect(back.body.profile.visibility).toMatchObject({ jobTitle: "public", expertise: "public", site: "internal" });
    // The Mastodon-side extra fields, through a real client.
    const eloiseApp = createRestAPIClient({ url: lyon.origin, accessToken: eloise.token });
    const creds = await eloiseApp.v1.accounts.updateCredentials({ fieldsAttributes: [{ name: "Bureau", value: "B-204" }] });
    expect(creds.source.fields).toEqual([{ name: "Bureau", value: "B-204", verifiedAt: null }]);

    // Paris: "who knows Kubernetes?", accent- and case-insensitive, within seconds.
    const found = await eventually(async () => {
      const r = await api(paris, alice.token, "/api/ruche/v1/profiles/search?knows=KUBERNETES");
      return r.body.length === 1 && r.body[0].profile.career.length === 2 && r.body[0].profile.custom_fields.length === 1 ? r.body[0] : null;
    }, 15_000, "Éloïse in Paris's directory");
    expect(found.account.acct).toBe(`eloise@${lyon.host}`);
    expect(found.profile).toMatchObject({ work_phone: PHONE, work_email: "eloise@lyon.acme.example", department: "Infrastructure", instance: "Lyon" });
    expect((await api(paris, alice.token, "/api/ruche/v1/profiles/search?q=eloise%20lefevre")).body.map((e: any) => e.account.acct)).toEqual([`eloise@${lyon.host}`]);
    const chart = await api(paris, alice.token, `/api/ruche/v1/profiles/${found.account.id}/org_chart`);
    expect(chart.body.managers.map((e: any) => [e.account.acct, e.profile.job_title])).toEqual([[`marc@${lyon.host}`, "Directeur technique"]]);

    // A Mastodon client on Paris reads the Lyon account: PropertyValue fields in Mastodon's shape.
    const aliceApp = createRestAPIClient({ url: paris.origin, accessToken: alice.token });
    const remote = await aliceApp.v1.accounts.$select(found.account.id).fetch();
    const fields = Object.fromEntries(remote.fields.map((f) => [f.name, f.value]));
    expect(fields["Job title"]).toBe("Ingénieure plateforme");
    expect(fields.Expertise).toContain("#<span>kubernetes</span>");
    expect(fields.Phone).toContain(PHONE);
    expect(fields.Bureau).toBe("B-204");
    // And the directory endpoint lists both Lyon people for Paris.
    const dir = await aliceApp.v1.directory.list({ limit: 80 });
    expect(dir.map((a) => a.acct)).toEqual(expect.arrayContaining([`eloise@${lyon.host}`, `marc@${lyon.host}`, "alice"]));
  });

  it("a non-sibling server never receives internal fields, by fetch or by Update", async () => {
    const eloiseIri = `${lyon.origin}/users/eloise`;
    // Unsigned, and signed by a server that is not a sibling: public fields only.
    const unsigned = await (await fetch(eloiseIri, { headers: { Accept: AP_JSON } })).text();
    const stranger = await outsider.createActor("stranger");
    const signedByOutsider = await deliver(await signedGet(stranger, eloiseIri));
    for (const doc of [unsigned, signedByOutsider.text]) {
      expect(doc).toContain("Ingénieure plateforme"); // made public
      expect(doc).toContain("droit-social");
      expect(doc).not.toContain("72 00 00 42");
      expect(doc).not.toContain("Infrastructure");
      expect(doc).not.toContain("Banque X");
      expect(JSON.parse(doc).rucheProfile.scope).toBe("public");
    }
    // Signed by the sibling: everything, in the JSON-LD extension too.
    const loader = await paris.instance.context().getDocumentLoader({ identifier: INSTANCE_ACTOR });
    const internal = (await loader(eloiseIri)).document as any;
    expect(internal.rucheProfile).toMatchObject({ scope: "internal", workPhone: PHONE, department: "Infrastructure" });
    expect(internal.attachment.map((a: any) => a.name)).toContain("Phone");

    // The outsider follows Éloïse, then she edits her profile: the Update it receives is the public variant.
    const follow = await deliver(await signedPost(stranger, `${eloiseIri}/inbox`, followActivity(stranger.iri, eloiseIri)));
    expect(follow.status).toBeLessThan(300);
    await eventually(async () => outsider.inboxPosts().some((p) => p.type === "Accept"), 15_000, "the Accept");
    const [{ id: eloiseId }] = await lyon.db.sql`SELECT id::text FROM accounts WHERE username = 'eloise' AND domain IS NULL`;
    await updateLocalProfile(lyon.db.sql, eloiseId, { site: "Lyon Confluence" });
    const update = await eventually(async () => outsider.inboxPosts().find((p) => p.type === "Update"), 15_000, "the Update");
    const text = JSON.stringify(update);
    expect(text).toContain("Ingénieure plateforme");
    expect(text).not.toContain("72 00 00 42");
    expect(text).not.toContain("Confluence");
    expect(text).not.toContain("B-204");
    // Paris, the sibling, got the internal variant (and refetched): the new site is in its directory.
    await eventually(async () => {
      const [row] = await paris.db.sql`SELECT p.site FROM profiles p JOIN accounts a ON a.id = p.account_id WHERE a.iri = ${eloiseIri}`;
      return row?.site === "Lyon Confluence";
    }, 15_000, "the internal update on Paris");
  });
});
