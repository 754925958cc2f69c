// A person's archive end to end (issue #16 point 3): Alice asks for it through the API, the worker builds it, she
// downloads a zip whose posts parse as ActivityStreams (Fedify's own parser) and whose lists and pictures are hers;
// Bob cannot see or download it; it expires after 48 hours. Then the settings page in Chromium (axe, screenshots).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRestAPIClient } from "masto";
import yauzl from "yauzl";
import { Create } from "@fedify/vocab";
import type { Browser } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { pngWithMetadata } from "../../../test/png.ts";
import { axeViolations, launchBrowser, newContext, shot } from "../../../test/browser.ts";

async function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z!))));
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, async (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        for await (const c of stream!) chunks.push(c as Buffer);
        files.set(entry.fileName, Buffer.concat(chunks));
        zip.readEntry();
      });
    });
    zip.on("end", resolve);
    zip.on("error", reject);
    zip.readEntry();
  });
  return files;
}

describe("personal archive (GDPR export)", () => {
  let paris: TestInstance, browser: Browser;
  let aliceToken: string, bobToken: string;
  beforeAll(async () => {
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    const [alice, bob] = await Promise.all([
      paris.createUser("alice", { password: "alice-password-1", displayName: "Alice" }),
      paris.createUser("bob", { password: "bob-password-12" }),
    ]);
    aliceToken = alice.token;
    bobToken = bob.token;
  });
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
  });

  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${paris.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

  it("is built by the worker, downloaded by its owner only, and parses as ActivityStreams", async () => {
    const alice = createRestAPIClient({ url: paris.origin, accessToken: aliceToken });
    const bob = createRestAPIClient({ url: paris.origin, accessToken: bobToken });
    const bobAccount = await bob.v1.accounts.verifyCredentials();
    await alice.v1.accounts.$select(bobAccount.id).follow();
    await bob.v1.accounts.$select((await alice.v1.accounts.verifyCredentials()).id).follow();
    const media = await alice.v2.media.create({ file: new Blob([pngWithMetadata() as BlobPart], { type: "image/png" }), description: "Schéma" });
    const posts = [
      await alice.v1.statuses.create({ status: "Point d'équipe #projet", mediaIds: [media.id] }),
      await alice.v1.statuses.create({ status: "Bonjour à tous", visibility: "public" }),
      await alice.v1.statuses.create({ status: `@bob un message privé`, visibility: "direct" }),
    ];
    const bobPost = await bob.v1.statuses.create({ status: "Réunion à 10 h", visibility: "public" });
    await alice.v1.statuses.$select(bobPost.id).favourite();
    await alice.v1.statuses.$select(bobPost.id).bookmark();

    const asked = await api("/api/ruche/v1/me/export", aliceToken, { method: "POST" });
    expect(asked.status).toBe(200);
    const { id, state } = await asked.json();
    expect(["pending", "running"]).toContain(state);
    // Asking again while it is being built returns the same archive.
    expect((await (await api("/api/ruche/v1/me/export", aliceToken, { method: "POST" })).json()).id).toBe(id);
    // Bob cannot see it, nor download it.
    expect((await api(`/api/ruche/v1/me/export/${id}`, bobToken)).status).toBe(404);
    expect((await api(`/api/ruche/v1/me/export/${id}/download`, bobToken)).status).toBe(404);

    let status: { state: string; url: string | null; progress: number; expires_at: string | null } = { state: "pending", url: null, progress: 0, expires_at: null };
    await expect.poll(async () => {
      status = await (await api(`/api/ruche/v1/me/export/${id}`, aliceToken)).json();
      return status.state;
    }, { timeout: 30_000, interval: 200 }).toBe("ready");
    expect(status.progress).toBe(100);
    expect(new Date(status.expires_at!).getTime() - Date.now()).toBeGreaterThan(47.9 * 3600_000);
    const download = await api(new URL(status.url!).pathname, aliceToken);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/zip");
    expect(download.headers.get("content-disposition")).toMatch(/attachment; filename="ruche-alice-\d{4}-\d{2}-\d{2}\.zip"/);
    const files = await unzip(Buffer.from(await download.arrayBuffer()));

    const outbox = JSON.parse(files.get("outbox.json")!.toString("utf8"));
    expect(outbox).toMatchObject({ type: "OrderedCollection", totalItems: 3 });
    const creates = await Promise.all(outbox.orderedItems.map((item: object) =>
      Create.fromJsonLd({ "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"], ...item })));
    const notes = await Promise.all(creates.map((c) => c.getObject()));
    expect(notes.map((n) => String(n?.content))).toEqual(expect.arrayContaining([
      expect.stringContaining("Point d"), expect.stringContaining("Bonjour à tous"), expect.stringContaining("un message privé"),
    ]));
    expect(creates.map((c) => c.id?.href).sort()).toEqual(posts.map((p) => `${p.uri}/activity`).sort());
    const actor = JSON.parse(files.get("actor.json")!.toString("utf8"));
    expect(actor).toMatchObject({ type: "Person", preferredUsername: "alice", name: "Alice" });
    expect(JSON.parse(files.get("likes.json")!.toString("utf8")).orderedItems).toEqual([bobPost.uri]);
    expect(JSON.parse(files.get("bookmarks.json")!.toString("utf8")).orderedItems).toEqual([bobPost.uri]);
    expect(files.get("following_accounts.csv")!.toString("utf8")).toBe(`Account address,Show boosts,Notify on new posts,Languages\r\nbob@${paris.host},true,false,\r\n`);
    expect(files.get("followers.csv")!.toString("utf8")).toContain(`bob@${paris.host}`);
    const pictures = [...files.keys()].filter((k) => k.startsWith("media_attachments/"));
    expect(pictures.length).toBe(1);
    expect(files.get(pictures[0])!.subarray(0, 4).toString("latin1")).toBe("\x89PNG");

    // 48 hours later (moved by the database, as the clock would) the file is gone and the link says so.
    await paris.db.sql`UPDATE account_exports SET expires_at = now() - interval '1 second' WHERE id = ${id}`;
    const late = await api(`/api/ruche/v1/me/export/${id}/download`, aliceToken);
    expect(late.status).toBe(409);
    expect((await late.json()).error).toContain("48 hours");
  }, 60_000);

  it("the settings page asks for an archive and offers it for download, in French, axe-clean", async () => {
    const ctx = await newContext(browser, "fr-FR");
    const page = await ctx.newPage();
    await page.goto(`${paris.origin}/login?next=%2Fsettings%2Fexport`);
    await page.getByLabel("Nom d'utilisateur").fill("bob");
    await page.getByLabel("Mot de passe").fill("bob-password-12");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("heading", { name: "Télécharger mes données" }).waitFor();
    expect(await page.getByText("Vous n'avez pas encore demandé d'archive.").count()).toBe(1);
    await page.getByRole("button", { name: "Préparer une archive" }).click();
    await expect.poll(async () => {
      await page.goto(`${paris.origin}/settings/export`);
      return await page.getByRole("link", { name: "Télécharger" }).count();
    }, { timeout: 30_000, interval: 500 }).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "export-fr");
    const href = await page.getByRole("link", { name: "Télécharger" }).getAttribute("href");
    const direct = await page.request.get(`${paris.origin}${href}`);
    expect(direct.status(), await direct.text().catch(() => "")).toBe(200);
    expect(direct.headers()["content-disposition"]).toMatch(/ruche-bob-/);
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Télécharger" }).click()]);
    expect(file.suggestedFilename()).toMatch(/^ruche-bob-.*\.zip$/);
    await ctx.close();
  }, 60_000);
});
