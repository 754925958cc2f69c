// The WebTV watch page in Chromium (issue #13 §3): a colleague opens an internal video, starts it from the
// keyboard, it plays (currentTime advances, no media error), the quality menu switches rungs; a signed-out visitor
// is sent to sign in and cannot fetch the playlist. axe on the page; screenshots on a desktop and a phone.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { axeViolations, launchBrowser, logInPage, shot } from "../../../test/browser.ts";
import { makeClip, uploadVideo, videoInState } from "../../../test/video-clips.ts";

describe("the WebTV watch page in Chromium", () => {
  let paris: TestInstance, browser: Browser, work: string, videoId: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "ruche-webtv-page-"));
    const clipping = makeClip(work, "townhall.mp4", { width: 640, height: 360, seconds: 8 });
    [paris, browser] = await Promise.all([startTestInstance({ name: "Paris" }), launchBrowser()]);
    const alice = await paris.createUser("alice", { password: "alice-password-1", displayName: "Alice Martin" });
    await paris.createUser("bob", { password: "bob-password-12", displayName: "Bob Durand" });
    const video = await uploadVideo(paris.url, alice.token, await clipping, {
      title: "Réunion générale de décembre", description: "Les résultats du trimestre.\n\nQuestions et réponses.", visibility: "internal",
    });
    videoId = video.id;
    await videoInState(paris.url, alice.token, videoId, "ready");
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await paris?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("plays for a colleague, from the keyboard, and switches quality", { timeout: 120_000 }, async () => {
    const ctx = await browser.newContext({ locale: "fr-FR", ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const failures: string[] = [];
    page.on("pageerror", (e) => failures.push(String(e)));
    await logInPage(page, paris.origin, "bob", "bob-password-12");
    await page.goto(`${paris.origin}/webtv/${videoId}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeTruthy();
    expect(await page.title()).toContain("Réunion générale de décembre");
    const quality = page.getByLabel("Qualité");
    await quality.waitFor({ state: "visible" }); // the island filled it from the master playlist
    expect(await quality.locator("option").allTextContents()).toEqual(["Automatique", "240p", "360p"]);
    const video = page.locator("video");
    await video.focus();
    await page.keyboard.press("m");
    await page.keyboard.press("k");
    await page.waitForFunction(() => (document.querySelector("video")?.currentTime ?? 0) > 1.5, undefined, { timeout: 60_000 });
    await quality.selectOption({ label: "240p" });
    await page.waitForFunction(() => document.querySelector("video")?.dataset.height === "240", undefined, { timeout: 30_000 });
    const before = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
    await page.waitForFunction((t) => (document.querySelector("video")?.currentTime ?? 0) > t + 1, before, { timeout: 30_000 });
    expect(await video.evaluate((v: HTMLVideoElement) => [v.error?.code ?? null, v.dataset.error ?? null, v.paused])).toEqual([null, null, false]);
    expect(failures).toEqual([]);
    expect(await page.getByText("La vidéo ne peut pas être lue dans ce navigateur.").isVisible()).toBe(false);
    await shot(page, "webtv-watch-desktop");
    expect(await axeViolations(page)).toEqual([]);
    await ctx.close();

    const phone = await browser.newContext({
      locale: "en-GB", ignoreHTTPSErrors: true, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    const small = await phone.newPage();
    await logInPage(small, paris.origin, "bob", "bob-password-12", true);
    await small.goto(`${paris.origin}/webtv/${videoId}`);
    await small.getByLabel("Quality").waitFor({ state: "visible" });
    await shot(small, "webtv-watch-phone");
    expect(await axeViolations(small)).toEqual([]);
    await phone.close();
  });

  it("uploads through the page with tus, survives a cut connection, and lands on the watch page", { timeout: 180_000 }, async () => {
    const heavy = await makeClip(work, "heavy.mp4", { width: 640, height: 360, seconds: 3, heavy: true });
    const ctx = await browser.newContext({ locale: "fr-FR", ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await logInPage(page, paris.origin, "alice", "alice-password-1");
    await page.goto(`${paris.origin}/webtv/new`);
    await shot(page, "webtv-upload-desktop");
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, "webtv-upload-phone");
    await page.setViewportSize({ width: 1280, height: 900 });
    // The second chunk's request is cut once, as a dropped connection would; the client resumes from the offset
    // the server holds (one chunk of 5 MiB).
    const patches: string[] = [];
    let cut = false;
    await page.route("**/api/ruche/v1/uploads/*", async (route) => {
      const req = route.request();
      if (req.method() === "PATCH") {
        patches.push(req.headers()["upload-offset"]);
        if (patches.length === 2 && !cut) {
          cut = true;
          return await route.abort("connectionreset");
        }
      }
      await route.continue();
    });
    await page.getByLabel("Fichier vidéo").setInputFiles(heavy);
    await page.getByLabel("Titre").fill("Tutoriel : le nouvel outil de notes de frais");
    await page.getByLabel("Qui peut la voir").selectOption("internal");
    await page.getByRole("button", { name: "Envoyer" }).click();
    await page.waitForURL(/\/webtv\/\d+$/, { timeout: 120_000 });
    const chunk = String(5 * 1024 * 1024);
    expect(patches.slice(0, 3)).toEqual(["0", chunk, chunk]); // cut at 5 MiB, resumed at 5 MiB
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Tutoriel : le nouvel outil de notes de frais");
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const [{ n }] = await paris.db.sql`SELECT count(*)::int AS n FROM videos WHERE id = ${id} AND state <> 'failed'`;
    expect(n).toBe(1);
    await ctx.close();
  });

  it("sends a signed-out visitor to sign in, and gives them no playlist", async () => {
    const ctx = await browser.newContext({ locale: "fr-FR", ignoreHTTPSErrors: true });
    const page = await ctx.newPage();
    await page.goto(`${paris.origin}/webtv/${videoId}`);
    expect(new URL(page.url()).pathname).toBe("/login");
    const res = await page.request.get(`${paris.origin}/webtv/files/${videoId}/master.m3u8`);
    expect(res.status()).toBe(404);
    await ctx.close();
  });
});
