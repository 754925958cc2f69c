// Chromium driven by playwright-core, as a person would use the pages. Screenshots go to artifacts/.
// Which Chromium: CHROMIUM_PATH when set, else Debian's /usr/bin/chromium when installed, else the one the
// @sparticuz/chromium devDependency ships (unpacked into the temp directory on first use, a few seconds), so that
// `npm test` needs neither root, apt nor a preinstalled browser on a fresh machine.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const ARTIFACTS = join(import.meta.dirname, "..", "artifacts");

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function chromiumExecutable(): Promise<{ path: string; args: string[] }> {
  if (process.env.CHROMIUM_PATH) return { path: process.env.CHROMIUM_PATH, args: FLAGS };
  if (existsSync("/usr/bin/chromium")) return { path: "/usr/bin/chromium", args: FLAGS };
  const shipped = (await import("@sparticuz/chromium")).default;
  // Its own flag list is for serverless functions (--single-process, --disable-web-security): a single process
  // closes the browser with its first context, and web security must stay on for the CSRF tests. Ours suffice.
  return { path: await shipped.executablePath(), args: FLAGS };
}

/** Unpacks the shipped Chromium ahead of the parallel test files, when it is the one they will use. */
export async function prepareChromium(): Promise<void> {
  await chromiumExecutable();
}

export async function launchBrowser(): Promise<Browser> {
  const { path, args } = await chromiumExecutable();
  return await chromium.launch({ executablePath: path, args });
}

export async function newContext(browser: Browser, locale = "fr-FR"): Promise<BrowserContext> {
  // Test instances use the throwaway test CA (docs/adr/0002), which this browser profile does not know.
  return await browser.newContext({ locale, ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Runs axe-core (WCAG 2.1 A/AA rules and best practices) in the page and returns its violations, each as
 * "rule-id ×count: selector, …" so a failing test says what to fix.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return result.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => String(n.target.join(" "))) }));
  });
  return violations.map((v) => `${v.id} ×${v.targets.length}: ${v.targets.slice(0, 3).join(", ")}`);
}

/** Signs in through the login page (French labels, or English) and waits for the home page. */
export async function logInPage(page: Page, origin: string, username: string, password: string, english = false): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel(english ? "Username" : "Nom d'utilisateur").fill(username);
  await page.getByLabel(english ? "Password" : "Mot de passe").fill(password);
  await page.getByRole("button", { name: english ? "Log in" : "Se connecter" }).click();
  await page.waitForURL((u) => u.pathname === "/");
}
