// The usage charter's pages (issue #15 point 1): /charter, which every employee reaches first while the version in
// force is not accepted (session.ts sends them there), and /admin/charter to publish a version and export the
// acceptances for HR.
import type { Context, Hono } from "hono";
import {
  acceptanceRecords, acceptancesCsv, acceptCharter, acceptedAt, CHARTER_LIMITS, charterHistory, charterInForce, publishCharter,
} from "../../domain/charter/charter.ts";
import { DomainError } from "../../domain/errors.ts";
import { renderMarkdown } from "../../domain/markdown.ts";
import { zonedToInstant } from "../../domain/zoned-time.ts";
import { AdminCharterPage, CharterPage, type CharterView } from "../../../web/components/charter.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, safeNext, toSignIn } from "./session.ts";
import type { CharterVersion } from "../../domain/charter/charter.ts";

function viewOf(v: CharterVersion, locale: "fr" | "en"): CharterView {
  return { version: v.version, html: renderMarkdown(locale === "en" ? v.textEn : v.textFr), effectiveAt: v.effectiveAt, replacesVersion: v.replacesVersion };
}

export function registerCharterPages(app: Hono, deps: RouteDeps): void {
  const { sql } = deps;

  async function showCharter(c: Context, opts: { changed?: boolean; next?: string } = {}, status = 200) {
    const base = chromeOf(c, deps);
    const user = c.get("page").user;
    const { current, upcoming } = await charterInForce(sql);
    const accepted = user && current ? await acceptedAt(sql, user.account.id) : null;
    return page(c, CharterPage, {
      ...base, charter: current ? viewOf(current, base.locale) : null, acceptedAt: user ? accepted : new Date(0),
      next: opts.next ?? safeNext(c.req.query("next")), changed: opts.changed,
      upcoming: upcoming ? { version: upcoming.version, effectiveAt: upcoming.effectiveAt } : null,
    }, status);
  }

  app.get("/charter", (c) => showCharter(c));

  app.post("/charter", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/charter");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const next = safeNext(form.next);
    const version = Number(form.version);
    try {
      await acceptCharter(sql, user.account.id, Number.isInteger(version) && version > 0 ? version : undefined);
    } catch (e) {
      if (e instanceof DomainError && e.code === "charter_changed") return showCharter(c, { changed: true, next }, 409);
      throw e;
    }
    return c.redirect(next === "/charter" ? "/" : next, 303);
  });

  function adminOf(c: Context) {
    const user = c.get("page").user;
    if (!user) return { response: toSignIn(c) };
    if (user.role !== "admin") return { response: errorPage(c, deps, 403, "charter.admin.only") };
    return { user };
  }

  async function showAdmin(c: Context, extra: Partial<Parameters<typeof AdminCharterPage>[0]> = {}, status = 200) {
    const base = chromeOf(c, deps);
    const timeZone = c.get("page").timeZone;
    const [history, { current }] = await Promise.all([charterHistory(sql), charterInForce(sql)]);
    const latest = history[0];
    return page(c, AdminCharterPage, {
      ...base, timeZone,
      history: history.map((v) => ({ version: v.version, effectiveAt: v.effectiveAt, acceptances: v.acceptances })),
      form: { textFr: latest?.textFr ?? current?.textFr ?? "", textEn: latest?.textEn ?? current?.textEn ?? "", effectiveAt: "" },
      published: Number(c.req.query("published")) || undefined,
      ...extra,
    }, status);
  }

  app.get("/admin/charter", async (c) => {
    const a = adminOf(c);
    if (!a.user) return a.response;
    return showAdmin(c);
  });

  app.post("/admin/charter", async (c) => {
    const a = adminOf(c);
    if (!a.user) return a.response;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const base = chromeOf(c, deps);
    const text = (v: unknown) => (typeof v === "string" ? v.replace(/\r\n/g, "\n") : "");
    const filled = { textFr: text(form.text_fr), textEn: text(form.text_en), effectiveAt: text(form.effective_at).trim() };
    const zone = c.get("page").timeZone;
    let effectiveAt: string | undefined;
    if (filled.effectiveAt) {
      const instant = zonedToInstant(filled.effectiveAt, zone);
      if (!instant) return showAdmin(c, { form: filled, error: { field: "effective_at", message: t(base.locale, "charter.admin.badDate") } }, 422);
      effectiveAt = instant.toISOString();
    }
    try {
      const v = await publishCharter(sql, a.user.account.id, { text_fr: filled.textFr, text_en: filled.textEn, effective_at: effectiveAt });
      return c.redirect(`/admin/charter?published=${v.version}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 422) throw e;
      const field = e.field === "text_fr" || e.field === "text_en" || e.field === "effective_at" ? e.field : null;
      const message = e.code === "charter_too_far" ? t(base.locale, "charter.admin.tooFar", { days: CHARTER_LIMITS.aheadDays })
        : e.code === "charter_before_previous" ? t(base.locale, "charter.admin.beforePrevious")
        : t(base.locale, "charter.admin.textRequired", { max: CHARTER_LIMITS.text });
      return showAdmin(c, { form: filled, error: { field, message } }, 422);
    }
  });

  app.get("/admin/charter/acceptances.csv", async (c) => {
    const a = adminOf(c);
    if (!a.user) return a.response;
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", 'attachment; filename="charte-acceptations.csv"');
    return c.body(acceptancesCsv(await acceptanceRecords(sql)));
  });
}
