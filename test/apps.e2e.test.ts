// Issue #9 "Done when", as the apps people already use would do it, against real instances over HTTPS: a masto.js
// app and a megalodon app each register on Paris, send Inès through the consent page (Chromium: she signs in and
// authorises), exchange the code, post, read her home timeline and get a live notification over the streaming API
// when Théo, a Lyon colleague, mentions her. Debian's `toot` logs in through its own out-of-band flow (the code
// shown on the page, typed into toot) and posts. Web Push and conversations are tested with their features.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import megalodon, { type Entity } from "megalodon";
import { launchBrowser, newContext } from "./browser.ts";
import { eventually, startSiblings, type TestInstance } from "./instance.ts";

// megalodon is CommonJS: Node's loader hands over `module.exports` as the default export, vitest unwraps it.
const generator = ("default" in megalodon ? megalodon.default : megalodon) as unknown as typeof megalodon.default;

const CALLBACK = "https://app.example/callback";
const OOB = "urn:ietf:wg:oauth:2.0:oob";
const PASSWORD = "ines-password-1";

/** Debian's toot, when installed (`.ci/run` installs it); the toot test is skipped without it. */
const TOOT = spawnSync("sh", ["-c", "command -v toot"], { encoding: "utf8" }).stdout.trim() || null;
if (!TOOT) console.warn("apps.e2e: no `toot` on PATH (apt-get install toot), so the toot login-and-post test is skipped");

describe("Mastodon apps on Ruche, end to end", () => {
  let paris: TestInstance, lyon: TestInstance, browser: Browser;
  let theo: mastodon.rest.Client;

  /**
   * Inès, signed out, opens the app's authorize URL in Chromium, signs in, authorises; the code is read from the
   * redirect to the app's callback (Playwright does not follow it to app.example), or from the out-of-band page.
   */
  async function consent(authorizeUrl: string): Promise<string> {
    const ctx = await newContext(browser, "fr-FR");
    try {
      const page = await ctx.newPage();
      let callback: URL | null = null;
      page.on("response", (r) => {
        const location = r.status() === 303 ? r.headers().location : undefined;
        if (location?.startsWith(CALLBACK)) callback = new URL(location);
      });
      await page.goto(authorizeUrl);
      await page.getByLabel("Nom d'utilisateur").fill("ines");
      await page.getByLabel("Mot de passe").fill(PASSWORD);
      await page.getByRole("button", { name: "Se connecter" }).click();
      await page.getByRole("heading", { name: "Autoriser une application" }).waitFor();
      await page.getByRole("button", { name: "Autoriser" }).click();
      if (new URL(authorizeUrl).searchParams.get("redirect_uri") === OOB) {
        const shown = page.getByRole("textbox", { name: "Code d'autorisation" });
        await shown.waitFor();
        return await shown.inputValue();
      }
      await expect.poll(() => callback?.searchParams.get("code") ?? null, { timeout: 10_000 }).not.toBeNull();
      return callback!.searchParams.get("code")!;
    } finally {
      await ctx.close();
    }
  }

  /** Théo (Lyon) mentions Inès; returns the text, unique per call. */
  async function mentionInes(what: string): Promise<string> {
    const text = `@ines@${paris.host} ${what}`; // no character that HTML escapes, so `what` is found in the content
    await theo.v1.statuses.create({ status: text });
    return what;
  }

  beforeAll(async () => {
    [[paris, lyon], browser] = await Promise.all([startSiblings("Paris", "Lyon"), launchBrowser()]);
    await paris.createUser("ines", { displayName: "Inès Garnier", password: PASSWORD });
    const lyonTheo = await lyon.createUser("theo", { displayName: "Théo Marchand" });
    theo = createRestAPIClient({ url: lyon.origin, accessToken: lyonTheo.token });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("masto.js: registers, authorises with PKCE S256 in Chromium, posts, reads home, and streams Théo's mention from Lyon", async () => {
    const app = await createRestAPIClient({ url: paris.origin }).v1.apps.create({
      clientName: "Elk", redirectUris: CALLBACK, scopes: "read write follow", website: "https://elk.example",
    });
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const code = await consent(`${paris.origin}/oauth/authorize?${new URLSearchParams({
      client_id: app.clientId!, redirect_uri: CALLBACK, response_type: "code", scope: "read write follow",
      code_challenge: challenge, code_challenge_method: "S256",
    })}`);
    // A browser app is a public client: the verifier, not the secret, proves it made the request.
    const token = await createOAuthAPIClient({ url: paris.origin }).token.create({
      grantType: "authorization_code", clientId: app.clientId!, redirectUri: CALLBACK, code, codeVerifier: verifier,
    } as unknown as Parameters<mastodon.oauth.Client["token"]["create"]>[0]);
    expect(token.scope).toBe("read write follow");

    const ines = createRestAPIClient({ url: paris.origin, accessToken: token.accessToken });
    expect((await ines.v1.accounts.verifyCredentials()).username).toBe("ines");
    const posted = await ines.v1.statuses.create({ status: "Bonjour depuis Elk" });
    const home = await ines.v1.timelines.home.list({ limit: 20 });
    expect(home.map((s) => s.id)).toContain(posted.id);

    const instance = await ines.v2.instance.fetch();
    const streaming = createStreamingAPIClient({ streamingApiUrl: instance.configuration.urls.streaming, accessToken: token.accessToken, retry: false });
    try {
      const before = paris.instance.streaming.subscriptions();
      const sub = streaming.user.notification.subscribe();
      const received = (async () => {
        for await (const e of sub) if (e.event === "notification") return e.payload;
      })();
      await eventually(async () => paris.instance.streaming.subscriptions() > before, 10_000, "masto's subscription");
      const what = await mentionInes("tu as le compte rendu de la réunion ?");
      const notification = await received;
      expect(notification).toMatchObject({ type: "mention", account: { acct: `theo@${lyon.host}` } });
      expect(notification?.status?.content).toContain(what);
    } finally {
      streaming.close();
    }
  }, 120_000);

  it("megalodon: registers and authorises as its apps do (confidential client, no PKCE in its API), posts, reads home, streams the mention", async () => {
    const anonymous = generator("mastodon", paris.origin);
    const app = await anonymous.registerApp("Whalebird", { scopes: ["read", "write", "follow"], redirect_uris: CALLBACK, website: "https://whalebird.example" });
    expect(app.url).toContain("/oauth/authorize");
    const code = await consent(app.url!);
    const token = await anonymous.fetchAccessToken(app.client_id, app.client_secret, code, CALLBACK);
    expect(token.scope).toBe("read write follow");

    const ines = generator("mastodon", paris.origin, token.access_token);
    expect((await ines.verifyAccountCredentials()).data.username).toBe("ines");
    const posted = await ines.postStatus("Bonjour depuis Whalebird");
    const home = await ines.getHomeTimeline({ limit: 20 });
    expect(home.data.map((s) => s.id)).toContain((posted.data as Entity.Status).id);

    const stream = await ines.userStreaming();
    try {
      const notified = new Promise<Entity.Notification>((resolve) => stream.on("notification", resolve));
      await new Promise<void>((resolve, reject) => {
        stream.on("connect", () => resolve());
        stream.on("error", reject);
      });
      await eventually(async () => paris.instance.streaming.subscriptions() > 0, 10_000, "megalodon's subscription");
      await mentionInes("la réunion est à 15 h");
      const notification = await notified;
      expect(notification.type).toBe("mention");
      expect(notification.account?.acct).toBe(`theo@${lyon.host}`);
      expect(notification.status?.content).toContain("la réunion est à 15 h");
    } finally {
      stream.stop();
    }
  }, 120_000);

  it.skipIf(!TOOT)("Debian's toot logs in through its out-of-band flow (code read on the page, typed into toot) and posts", async () => {
    const home = await mkdtemp(join(tmpdir(), "ruche-toot-"));
    // toot is Python requests: it trusts the test CA through REQUESTS_CA_BUNDLE, and keeps its config in this HOME.
    const env = {
      ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), PYTHONUNBUFFERED: "1",
      REQUESTS_CA_BUNDLE: inject("tls").caCert, SSL_CERT_FILE: inject("tls").caCert,
    };
    /** toot running: what it has written so far, its stdin, and its exit code with all it wrote. */
    const toot = (args: string[]) => {
      const child = spawn(TOOT!, [...args, "--no-color"], { env, stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      for (const s of [child.stdout, child.stderr]) s.on("data", (d: Buffer) => void (out += d.toString()));
      const timer = setTimeout(() => child.kill("SIGTERM"), 60_000);
      const done = new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code) => {
          clearTimeout(timer);
          resolve({ code, out });
        });
      });
      return { output: () => out, write: (line: string) => child.stdin.write(`${line}\n`), end: () => child.stdin.end(), done };
    };
    try {
      const login = toot(["login", "--instance", paris.host]);
      const url = await eventually(async () => /(https:\/\/\S+\/oauth\/authorize\/?\?\S+)/.exec(login.output())?.[1], 20_000, "toot's login URL");
      expect(new URL(url).searchParams.get("redirect_uri")).toBe(OOB);
      login.write("n"); // "Open link in default browser?": no, the test's Chromium is the browser
      login.write(await consent(url));
      login.end();
      const loggedIn = await login.done;
      expect(loggedIn.code, loggedIn.out).toBe(0);
      expect(loggedIn.out).toContain("Successfully logged in");

      const post = toot(["post", "Publié avec toot", "--visibility", "public"]);
      post.end();
      const posted = await post.done;
      expect(posted.code, posted.out).toBe(0);
      // The post exists, read through the API by a colleague, and came from the app toot registered.
      const { token } = await paris.createUser("reader");
      const reader = createRestAPIClient({ url: paris.origin, accessToken: token });
      const account = await reader.v1.accounts.lookup({ acct: "ines" });
      const [latest] = await reader.v1.accounts.$select(account.id).statuses.list({ limit: 1 });
      expect(latest?.content).toContain("Publié avec toot");
      const [app] = await paris.db.sql`SELECT a.name FROM api_tokens t JOIN oauth_apps a ON a.id = t.app_id
        WHERE t.account_id = ${account.id} AND t.revoked_at IS NULL ORDER BY t.id DESC LIMIT 1`;
      expect(app?.name).toBe("toot - a Mastodon CLI client");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);
});
