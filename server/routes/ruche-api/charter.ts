// The usage charter over the API (issue #15 point 1): read it, accept it, publish a version (administrators), the
// acceptance records for HR as CSV, and Mastodon's terms-of-service shape for apps. Until the version in force is
// accepted, a person's token only reaches these routes (auth.ts charterGate answers 403 charter_not_accepted).
import type { Context, Hono } from "hono";
import { z } from "zod";
import {
  acceptanceRecords, acceptancesCsv, acceptCharter, acceptedAt, charterInForce, publishCharter, type CharterVersion,
} from "../../domain/charter/charter.ts";
import { DomainError } from "../../domain/errors.ts";
import { renderMarkdown } from "../../domain/markdown.ts";
import { negotiateLocale } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { bodyParams, parse } from "../mastodon/params.ts";

export function charterJson(v: CharterVersion) {
  return {
    version: v.version,
    effective_at: v.effectiveAt.toISOString(),
    replaces_version: v.replacesVersion,
    text_fr: v.textFr,
    text_en: v.textEn,
    html_fr: renderMarkdown(v.textFr),
    html_en: renderMarkdown(v.textEn),
  };
}

function adminOnly(c: Context<ApiEnv>): void {
  if (viewerOf(c).user.role !== "admin") throw new DomainError("forbidden", 403, "This action is for administrators");
}

const acceptSchema = z.object({ version: z.coerce.number().int().positive().optional() });

export function registerCharter(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql } = deps;

  api.get("/api/ruche/v1/charter", tokenRequired(deps), scopeRequired(["read:accounts", "read"]), async (c) => {
    const { current, upcoming } = await charterInForce(sql);
    if (!current) return c.json({ error: "This instance has no usage charter", error_code: "no_charter" }, 404);
    const accepted = await acceptedAt(sql, viewerOf(c).accountId);
    return c.json({
      ...charterJson(current),
      accepted_at: accepted?.toISOString() ?? null,
      upcoming: upcoming ? { version: upcoming.version, effective_at: upcoming.effectiveAt.toISOString() } : null,
    });
  });

  api.post("/api/ruche/v1/charter/accept", tokenRequired(deps), scopeRequired(["write:accounts", "write"]), async (c) => {
    const { version } = parse(acceptSchema, await bodyParams(c));
    const r = await acceptCharter(sql, viewerOf(c).accountId, version);
    return c.json({ version: r.version, accepted_at: r.acceptedAt.toISOString() });
  });

  api.put("/api/ruche/v1/admin/charter", tokenRequired(deps), scopeRequired(["admin:write"]), async (c) => {
    adminOnly(c);
    const params = await bodyParams(c);
    const v = await publishCharter(sql, viewerOf(c).accountId, {
      text_fr: params.text_fr as string, text_en: params.text_en as string, effective_at: params.effective_at as string | undefined,
    });
    return c.json(charterJson(v));
  });

  api.get("/api/ruche/v1/admin/charter/acceptances", tokenRequired(deps), scopeRequired(["admin:read"]), async (c) => {
    adminOnly(c);
    const records = await acceptanceRecords(sql);
    if ((c.req.query("format") ?? "json") === "csv") {
      c.header("Content-Type", "text/csv; charset=utf-8");
      c.header("Content-Disposition", 'attachment; filename="charte-acceptations.csv"');
      return c.body(acceptancesCsv(records));
    }
    return c.json(records.map((r) => ({ username: r.username, display_name: r.displayName, version: r.version, accepted_at: r.acceptedAt.toISOString() })));
  });

  // Mastodon 4.4's terms of service (TermsOfService entity), in the reader's language; readable before signing in.
  api.get("/api/v1/instance/terms_of_service", async (c) => {
    const { current, upcoming } = await charterInForce(sql);
    if (!current) return c.json({ error: "Record not found" }, 404);
    const locale = negotiateLocale(c.req.header("accept-language"), undefined);
    return c.json({
      effective_date: current.effectiveAt.toISOString().slice(0, 10),
      effective: true,
      content: renderMarkdown(locale === "en" ? current.textEn : current.textFr),
      succeeded_by: upcoming ? upcoming.effectiveAt.toISOString().slice(0, 10) : null,
    });
  });
}
