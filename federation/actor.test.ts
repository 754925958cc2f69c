// What other servers see of an instance: actor documents (keys, collections, locked flag), WebFinger, NodeInfo,
// and the same URL serving HTML to browsers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../test/instance.ts";
import { disableUser, updateProfile } from "../server/domain/accounts/accounts.ts";
import { updateLocalProfile } from "../server/domain/profiles/profiles.ts";
import { eventually } from "../test/instance.ts";

const AP = { Accept: "application/activity+json" };

describe("actor documents, WebFinger and NodeInfo", () => {
  let paris: TestInstance;
  let aliceId: string;
  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    aliceId = (await paris.createUser("alice", { displayName: "Alice Martin", locked: true })).account.id;
  });
  afterAll(async () => {
    await paris?.close();
  });

  it("serves a Person with an RSA key, an Ed25519 multikey, collections and the locked flag", async () => {
    const res = await fetch(`${paris.origin}/users/alice`, { headers: AP });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/activity\+json/);
    const doc = await res.json();
    expect(doc).toMatchObject({
      id: `${paris.origin}/users/alice`,
      type: "Person",
      preferredUsername: "alice",
      name: "Alice Martin",
      inbox: `${paris.origin}/users/alice/inbox`,
      followers: `${paris.origin}/users/alice/followers`,
      following: `${paris.origin}/users/alice/following`,
      manuallyApprovesFollowers: true,
      endpoints: { sharedInbox: `${paris.origin}/inbox` },
    });
    expect(doc.publicKey.owner).toBe(doc.id);
    expect(doc.publicKey.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    // RSA-2048: the base64 body of a 2048-bit SPKI is 392 characters.
    expect(doc.publicKey.publicKeyPem.replace(/-----[^-]+-----|\s/g, "")).toHaveLength(392);
    const multikeys = doc.assertionMethod as { type: string; publicKeyMultibase: string }[];
    expect(multikeys.map((k) => k.publicKeyMultibase.slice(0, 4))).toContain("z6Mk"); // Ed25519 multikey prefix
  });

  it("answers browsers with the profile page on the same URL", async () => {
    const res = await fetch(`${paris.origin}/users/alice`, { headers: { Accept: "text/html" }, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/@alice");
    const page = await fetch(`${paris.origin}/@alice`, { headers: { Accept: "text/html", "Accept-Language": "en" } });
    expect(await page.text()).toContain("Alice Martin");
  });

  it("serves a fresh document right after a profile change (the cache is cleared)", async () => {
    expect((await (await fetch(`${paris.origin}/users/alice`, { headers: AP })).json()).name).toBe("Alice Martin");
    await updateProfile(paris.db.sql, aliceId, { displayName: "Alice M." });
    const deadline = Date.now() + 5000;
    let name = "";
    while (Date.now() < deadline && name !== "Alice M.") {
      name = (await (await fetch(`${paris.origin}/users/alice`, { headers: AP })).json()).name;
    }
    expect(name).toBe("Alice M.");
  });

  it("resolves WebFinger for users (with the port in the host) and 404s unknown ones", async () => {
    const res = await fetch(`${paris.origin}/.well-known/webfinger?resource=acct:alice@${paris.host}`);
    expect(res.status).toBe(200);
    const jrd = await res.json();
    expect(jrd.links).toContainEqual(expect.objectContaining({ rel: "self", href: `${paris.origin}/users/alice` }));
    expect((await fetch(`${paris.origin}/.well-known/webfinger?resource=acct:nobody@${paris.host}`)).status).toBe(404);
  });

  it("resolves WebFinger by profile page and by actor URL, the handle among the aliases (issue #8 point 14)", async () => {
    const finger = (resource: string) => fetch(`${paris.origin}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`);
    for (const resource of [`${paris.origin}/@alice`, `${paris.origin}/users/alice`]) {
      const res = await finger(resource);
      expect(res.status, resource).toBe(200);
      const jrd = await res.json();
      expect(jrd.subject).toBe(resource); // RFC 7033 §4.4.1: the subject echoes what was asked
      expect(jrd.aliases).toContain(`acct:alice@${paris.host}`);
      expect(jrd.links).toContainEqual(expect.objectContaining({ rel: "self", href: `${paris.origin}/users/alice` }));
    }
    expect((await finger(`${paris.origin}/@nobody`)).status).toBe(404);
    expect((await finger(`https://elsewhere.example/@alice`)).status).toBe(404);
  });

  it("points to WebFinger from /.well-known/host-meta (XRD) and host-meta.json", async () => {
    const template = `${paris.origin}/.well-known/webfinger?resource={uri}`;
    const xrd = await fetch(`${paris.origin}/.well-known/host-meta`);
    expect(xrd.status).toBe(200);
    expect(xrd.headers.get("content-type")).toMatch(/^application\/xrd\+xml/);
    expect(await xrd.text()).toContain(`<Link rel="lrdd" template="${template}"/>`);
    const jrd = await fetch(`${paris.origin}/.well-known/host-meta.json`);
    expect(await jrd.json()).toEqual({ links: [{ rel: "lrdd", template }] });
  });

  it("stops answering WebFinger for a user as soon as they are disabled (the cached answer is dropped)", async () => {
    await paris.createUser("leaving");
    const lookup = () => fetch(`${paris.origin}/.well-known/webfinger?resource=acct:leaving@${paris.host}`);
    expect((await lookup()).status).toBe(200);
    expect((await lookup()).status).toBe(200); // cached now
    await disableUser(paris.db.sql, "leaving");
    await eventually(async () => (await lookup()).status === 404, 5_000, "WebFinger 404 after disabling");
  });

  it("publishes NodeInfo 2.1 with usage figures and an instance actor", async () => {
    const links = await (await fetch(`${paris.origin}/.well-known/nodeinfo`)).json();
    const info = await (await fetch(links.links[0].href)).json();
    expect(info.software.name).toBe("ruche");
    expect(info.protocols).toEqual(["activitypub"]);
    expect(info.usage.users.total).toBe(1);
    const instance = await (await fetch(`${paris.origin}/users/instance.actor`, { headers: AP })).json();
    expect(instance.type).toBe("Application");
    expect(instance.publicKey.id).toBeTruthy();
  });

  it("types expertise tags `Hashtag`, a term its context defines, as Mastodon does (issue #8 point 9)", async () => {
    const bea = await paris.createUser("bea");
    await updateLocalProfile(paris.db.sql, bea.account.id, { expertise: ["kubernetes"], visibility: { expertise: "public" } }, { visibility: "merge" });
    const doc = await (await fetch(`${paris.origin}/users/bea`, { headers: AP })).json();
    expect([doc.tag].flat()).toEqual([{ type: "Hashtag", name: "#kubernetes", href: `${paris.origin}/directory?expertise=kubernetes` }]);
    expect(doc["@context"]).toContainEqual(expect.objectContaining({ Hashtag: "as:Hashtag" }));
  });
});
