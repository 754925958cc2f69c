// Reports and moderation over the API (issue #15 point 5): Mastodon's `POST /api/v1/reports` for everyone, its admin
// shapes (`/api/v1/admin/reports`, `/api/v1/admin/accounts`) for moderators and administrators, and Ruche's own
// decision endpoint, moderation log and "decisions about me".
import type { Context, Hono } from "hono";
import { z } from "zod";
import { type Account, findAccountById, findLocalUserById, isStaff } from "../../domain/accounts/accounts.ts";
import { DomainError } from "../../domain/errors.ts";
import { decide, markNoticesRead, type ModerationAction, moderationLog, noticesOf, reopenReport } from "../../domain/moderation/decisions.ts";
import { createReport, getReport, listReports, type ReportView } from "../../domain/moderation/reports.ts";
import { blockDomain, type DomainBlock, listDomainBlocks, unblockDomain } from "../../domain/moderation/domain-blocks.ts";
import type { Db } from "../../db/pool.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { bodyParams, boolParam, idParam, limitParam, parse, queryParams } from "./params.ts";
import { serializeAccount } from "./serializers.ts";

function staffOnly(c: Context<ApiEnv>): void {
  if (!isStaff(viewerOf(c).user)) throw new DomainError("forbidden", 403, "This action is for moderators and administrators");
}

const listOf = (inner: z.ZodType) => z.preprocess((v) => (v == null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(inner));
const reportParams = z.object({
  account_id: idParam,
  status_ids: listOf(idParam).optional(),
  comment: z.string().optional(),
  category: z.string().optional(),
  forward: boolParam,
  rule_ids: listOf(z.unknown()).optional(), // Mastodon's instance rules are not tied to reports here
});

/** The fields Mastodon's Report and Admin::Report share. */
function reportFields(r: ReportView) {
  return {
    id: r.id,
    action_taken: r.state === "resolved",
    action_taken_at: r.resolvedAt?.toISOString() ?? null,
    category: r.category,
    comment: r.comment,
    forwarded: r.forwarded,
    created_at: r.createdAt.toISOString(),
  };
}

/** Mastodon's Report entity (what the reporter sees). */
async function reportEntity(db: Db, origin: string, r: ReportView) {
  return {
    ...reportFields(r),
    status_ids: r.posts.map((p) => p.id).filter((id): id is string => id != null),
    rule_ids: [],
    target_account: await serializeAccount(db, origin, r.target),
  };
}

/** Mastodon's Admin::Account, for the fields moderators use. */
async function adminAccountEntity(db: Db, origin: string, a: Account) {
  const [row] = await db`SELECT silenced_at, suspended_at FROM accounts WHERE id = ${a.id}`;
  const user = a.domain == null ? await findLocalUserById(db, a.id) : null;
  return {
    id: a.id,
    username: a.username,
    domain: a.domain,
    created_at: a.createdAt.toISOString(),
    email: user?.email ?? null,
    ip: null,
    ips: [],
    locale: user?.locale ?? null,
    invite_request: null,
    role: user ? { id: user.role === "admin" ? "3" : user.role === "moderator" ? "2" : "-99", name: user.role } : null,
    confirmed: true,
    approved: true,
    disabled: user?.disabled ?? false,
    silenced: row?.silenced_at != null,
    suspended: row?.suspended_at != null,
    sensitized: false,
    account: await serializeAccount(db, origin, a),
  };
}

/** Mastodon's Admin::Report; reported posts as moderators need them (content as it is now, even if not readable to them). */
async function adminReportEntity(db: Db, origin: string, r: ReportView) {
  return {
    ...reportFields(r),
    updated_at: (r.resolvedAt ?? r.createdAt).toISOString(),
    account: r.reporter ? await adminAccountEntity(db, origin, r.reporter) : null,
    target_account: await adminAccountEntity(db, origin, r.target),
    assigned_account: null,
    action_taken_by_account: null,
    statuses: r.posts.map((p) => ({ id: p.id, uri: p.iri, content: p.contentHtml, created_at: p.createdAt?.toISOString() ?? null, deleted: p.id == null })),
    rules: [],
    // Ruche: where a received report came from (a sibling's domain), and what was decided.
    ruche_origin_domain: r.originDomain,
    ruche_action: r.actionTaken,
  };
}

async function actionEntity(db: Db, origin: string, m: ModerationAction) {
  return {
    id: m.id,
    action: m.action,
    reason: m.reason,
    report_id: m.reportId,
    post_uris: m.postIris,
    created_at: m.createdAt.toISOString(),
    target_account: await serializeAccount(db, origin, m.target),
    moderator: m.moderator ? await serializeAccount(db, origin, m.moderator) : null,
  };
}

/** Mastodon's Admin::DomainBlock (every block here refuses the whole server: severity "suspend"). */
function domainBlockEntity(b: DomainBlock) {
  return {
    id: b.id, domain: b.domain, digest: null, created_at: b.createdAt.toISOString(), severity: "suspend",
    reject_media: true, reject_reports: true, private_comment: b.reason, public_comment: null, obfuscate: false,
  };
}

// Mastodon's account actions (POST /api/v1/admin/accounts/:id/action) in our decision vocabulary.
const MASTODON_ACTIONS: Record<string, "dismiss" | "silence" | "suspend"> = { none: "dismiss", silence: "silence", suspend: "suspend", disable: "suspend" };

export function registerReports(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const origin = config.origin;
  const siblings = deps.data.siblings;

  api.post("/api/v1/reports", tokenRequired(deps), scopeRequired(["write:reports", "write"]), async (c) => {
    const p = parse(reportParams, await bodyParams(c));
    const report = await createReport(sql, origin, viewerOf(c).accountId, {
      account_id: p.account_id, status_ids: p.status_ids ?? [], comment: p.comment ?? "", category: p.category ?? "other", forward: p.forward ?? false,
    }, { isSibling: (o) => siblings.isSibling(o) });
    return c.json(await reportEntity(sql, origin, report));
  });

  const staff = [tokenRequired(deps)] as const;
  api.get("/api/v1/admin/reports", ...staff, scopeRequired(["admin:read:reports", "admin:read"]), async (c) => {
    staffOnly(c);
    const q = parse(z.object({ resolved: boolParam, max_id: idParam.optional(), limit: limitParam(40, 200), target_account_id: idParam.optional() }), queryParams(c));
    const reports = await listReports(sql, { state: q.resolved ? "resolved" : "open", maxId: q.max_id, limit: q.limit, targetId: q.target_account_id });
    return c.json(await Promise.all(reports.map((r) => adminReportEntity(sql, origin, r))));
  });

  api.get("/api/v1/admin/reports/:id", ...staff, scopeRequired(["admin:read:reports", "admin:read"]), async (c) => {
    staffOnly(c);
    const r = await getReport(sql, c.req.param("id"));
    if (!r) return c.json({ error: "Record not found" }, 404);
    return c.json(await adminReportEntity(sql, origin, r));
  });

  api.post("/api/v1/admin/reports/:id/resolve", ...staff, scopeRequired(["admin:write:reports", "admin:write"]), async (c) => {
    staffOnly(c);
    await decide(sql, config.dataDir, viewerOf(c).accountId, { action: "dismiss", report_id: c.req.param("id") });
    return c.json(await adminReportEntity(sql, origin, (await getReport(sql, c.req.param("id")))!));
  });

  api.post("/api/v1/admin/reports/:id/reopen", ...staff, scopeRequired(["admin:write:reports", "admin:write"]), async (c) => {
    staffOnly(c);
    await reopenReport(sql, c.req.param("id"));
    const r = await getReport(sql, c.req.param("id"));
    if (!r) return c.json({ error: "Record not found" }, 404);
    return c.json(await adminReportEntity(sql, origin, r));
  });

  api.get("/api/v1/admin/accounts/:id", ...staff, scopeRequired(["admin:read:accounts", "admin:read"]), async (c) => {
    staffOnly(c);
    const a = await findAccountById(sql, c.req.param("id"));
    if (!a) return c.json({ error: "Record not found" }, 404);
    return c.json(await adminAccountEntity(sql, origin, a));
  });

  api.post("/api/v1/admin/accounts/:id/action", ...staff, scopeRequired(["admin:write:accounts", "admin:write"]), async (c) => {
    staffOnly(c);
    const p = parse(z.object({ type: z.enum(["none", "sensitive", "disable", "silence", "suspend"]), report_id: idParam.optional(), text: z.string().optional() }), await bodyParams(c));
    const action = MASTODON_ACTIONS[p.type];
    if (!action) throw new DomainError("unsupported_action", 422, `the "${p.type}" action is not offered here: none, silence, suspend`);
    await decide(sql, config.dataDir, viewerOf(c).accountId, { action, account_id: c.req.param("id"), report_id: p.report_id, reason: p.text ?? "" });
    return c.json({});
  });

  // Ruche's decision endpoint: every action, with the reason the person reads (dismiss, delete, silence, suspend
  // and their undoing), on a report or directly on an account.
  api.post("/api/ruche/v1/admin/decisions", ...staff, scopeRequired(["admin:write"]), async (c) => {
    staffOnly(c);
    const action = await decide(sql, config.dataDir, viewerOf(c).accountId, await bodyParams(c));
    return c.json(await actionEntity(sql, origin, action));
  });

  api.get("/api/ruche/v1/admin/moderation_log", ...staff, scopeRequired(["admin:read"]), async (c) => {
    staffOnly(c);
    const q = parse(z.object({ max_id: idParam.optional(), limit: limitParam(40, 200) }), queryParams(c));
    const log = await moderationLog(sql, { maxId: q.max_id, limit: q.limit });
    return c.json(await Promise.all(log.map((m) => actionEntity(sql, origin, m))));
  });

  // Servers refused by this instance (open federation mode), in Mastodon's admin shape.
  api.get("/api/v1/admin/domain_blocks", ...staff, scopeRequired(["admin:read:domain_blocks", "admin:read"]), async (c) => {
    staffOnly(c);
    return c.json((await listDomainBlocks(sql)).map(domainBlockEntity));
  });

  api.post("/api/v1/admin/domain_blocks", ...staff, scopeRequired(["admin:write:domain_blocks", "admin:write"]), async (c) => {
    staffOnly(c);
    const p = await bodyParams(c);
    const selfHost = new URL(origin).host;
    const block = await blockDomain(sql, viewerOf(c).accountId, { domain: p.domain, reason: p.private_comment ?? p.public_comment },
      { selfHost, isSibling: (host) => siblings.list().some((o) => new URL(o).host === host) });
    return c.json(domainBlockEntity(block));
  });

  api.delete("/api/v1/admin/domain_blocks/:id", ...staff, scopeRequired(["admin:write:domain_blocks", "admin:write"]), async (c) => {
    staffOnly(c);
    if (!(await unblockDomain(sql, c.req.param("id")))) return c.json({ error: "Record not found" }, 404);
    return c.json({});
  });

  // The decisions about me, with their reasons (reading them marks them read).
  api.get("/api/ruche/v1/me/moderation", tokenRequired(deps), scopeRequired(["read:accounts", "read"]), async (c) => {
    const accountId = viewerOf(c).accountId;
    const notices = await noticesOf(sql, accountId);
    await markNoticesRead(sql, accountId);
    return c.json(notices.map((m) => ({ id: m.id, action: m.action, reason: m.reason, post_uris: m.postIris, created_at: m.createdAt.toISOString() })));
  });
}
