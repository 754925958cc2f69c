// Reports (issue #15 point 5): a person here reports someone and some of their posts; a sibling's moderators
// receive the same report as a Flag when the reported person is theirs (federation/moderation.ts), and ours receive
// siblings' Flags about our people. Moderators work the queue (decisions.ts).
//
//   createReport(sql, origin, reporterId, input) → ReportView     — validated; queues the Flag when the target is remote
//   receiveFlag(db, {iri, originDomain, targetId, postIris, comment}) → boolean   — false when already stored
//   listReports(db, {state, limit, maxId}) / getReport(db, id)
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { type Account, accountColumns, accountsByIds, findAccountById, toAccount } from "../accounts/accounts.ts";
import { localViewer, visibleTo } from "../audience/visibility.ts";
import { DomainError } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";

export const REPORT_CATEGORIES = ["spam", "legal", "violation", "other"] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];
export const REPORT_LIMITS = { comment: 1000, posts: 20 } as const;

export const reportInputSchema = z.object({
  account_id: z.string().regex(/^\d{1,18}$/, "unknown account"),
  status_ids: z.array(z.string().regex(/^\d{1,18}$/, "unknown post")).max(REPORT_LIMITS.posts).default([]),
  comment: z.string().max(REPORT_LIMITS.comment, `a report's comment has at most ${REPORT_LIMITS.comment} characters`).default(""),
  category: z.enum(REPORT_CATEGORIES).default("other"),
  // Mastodon's "forward to the remote server": always done for a sibling (same group, same employer); asked for
  // a server outside the group.
  forward: z.boolean().default(false),
});
export type ReportInput = z.input<typeof reportInputSchema>;

export interface ReportPost { iri: string; id: string | null; contentHtml: string | null; createdAt: Date | null }
export interface ReportView {
  id: string;
  iri: string;
  reporter: Account | null;
  originDomain: string | null;
  target: Account;
  category: ReportCategory;
  comment: string;
  posts: ReportPost[];
  forwarded: boolean;
  state: "open" | "resolved";
  actionTaken: string | null;
  resolvedAt: Date | null;
  createdAt: Date;
}

/**
 * A person reports `account_id` and, optionally, some of that account's posts they can read. When the account is
 * on another server, the report goes there as a Flag (signed by this instance, naming nobody) — always to a
 * sibling, to others when `forward` is asked — and stays here too: our moderators may still silence or suspend the
 * account on this instance.
 */
export async function createReport(sql: Sql, origin: string, reporterId: string, raw: unknown, opts: { isSibling(origin: string): boolean }): Promise<ReportView> {
  const parsed = reportInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError("invalid_report", 422, issue.message, issue.path.join("."));
  }
  const input = parsed.data;
  if (input.account_id === reporterId) throw new DomainError("invalid_report", 422, "you cannot report yourself", "account_id");
  const target = await findAccountById(sql, input.account_id);
  if (!target) throw new DomainError("not_found", 404, "no such account", "account_id");
  const ids = [...new Set(input.status_ids)];
  const posts = ids.length === 0 ? [] : await sql`SELECT p.id::text, p.iri FROM posts p
    WHERE p.id IN ${sql(ids)} AND p.account_id = ${target.id} AND p.reblog_of_id IS NULL AND ${visibleTo(sql, localViewer(reporterId))}`;
  // A post of someone else, one the reporter cannot read, or none at all: refused, not silently left out.
  if (posts.length !== ids.length) throw new DomainError("invalid_report", 422, "a reported post is not one of this account's posts you can read", "status_ids");
  const forward = target.domain != null && (opts.isSibling(new URL(target.iri).origin) || input.forward);
  const id = await atomically(sql, async (tx) => {
    const [row] = await tx`INSERT INTO reports (iri, reporter_id, target_account_id, category, comment, post_iris, forwarded)
      VALUES (${`${origin}/reports/${randomUUID()}`}, ${reporterId}, ${target.id}, ${input.category}, ${input.comment},
        ${posts.map((p) => p.iri as string)}, ${forward}) RETURNING id::text`;
    if (forward) await enqueueOutbox(tx, { kind: "flag", reportId: row.id as string });
    return row.id as string;
  });
  return (await getReport(sql, id))!;
}

/**
 * A sibling's Flag about one of our people (federation/moderation.ts checked that it names only our objects and
 * comes from a sibling). Idempotent on the Flag's id.
 */
export async function receiveFlag(db: Db, f: { iri: string; originDomain: string; targetId: string; postIris: string[]; comment: string }): Promise<boolean> {
  const rows = await db`INSERT INTO reports (iri, origin_domain, target_account_id, comment, post_iris)
    VALUES (${f.iri}, ${f.originDomain}, ${f.targetId}, ${f.comment.slice(0, REPORT_LIMITS.comment)}, ${f.postIris.slice(0, REPORT_LIMITS.posts)})
    ON CONFLICT (iri) DO NOTHING RETURNING id`;
  return rows.length > 0;
}

export async function listReports(db: Db, opts: { state?: "open" | "resolved"; limit?: number; maxId?: string; targetId?: string } = {}): Promise<ReportView[]> {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 200);
  const rows = await db`SELECT r.id::text FROM reports r
    WHERE true ${opts.state ? db`AND r.state = ${opts.state}` : db``}
      ${opts.maxId && /^\d{1,18}$/.test(opts.maxId) ? db`AND r.id < ${opts.maxId}` : db``}
      ${opts.targetId ? db`AND r.target_account_id = ${opts.targetId}` : db``}
    ORDER BY r.id DESC LIMIT ${limit}`;
  return await loadReports(db, rows.map((r) => r.id as string));
}

export async function getReport(db: Db, id: string): Promise<ReportView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  return (await loadReports(db, [id]))[0] ?? null;
}

async function loadReports(db: Db, ids: string[]): Promise<ReportView[]> {
  if (ids.length === 0) return [];
  // Aliased: the account's columns (id, iri, created_at…) follow in the same row.
  const rows = await db`SELECT r.id::text AS report_id, r.iri AS report_iri, r.origin_domain, r.category, r.comment, r.post_iris,
      r.forwarded, r.state, r.action_taken, r.resolved_at, r.created_at AS reported_at, r.reporter_id::text, ${accountColumns(db, "a")}
    FROM reports r JOIN accounts a ON a.id = r.target_account_id WHERE r.id IN ${db(ids)} ORDER BY r.id DESC`;
  const reporters = await accountsByIds(db, rows.map((r) => r.reporter_id as string | null));
  // The reported posts as they are now (a deleted one keeps its IRI, without content): moderators read what was named.
  const iris = [...new Set(rows.flatMap((r) => r.post_iris as string[]))];
  const posts = new Map<string, { id: string; contentHtml: string; createdAt: Date }>();
  if (iris.length > 0) {
    for (const p of await db`SELECT id::text, iri, content_html, created_at FROM posts WHERE iri IN ${db(iris)}`) {
      posts.set(p.iri as string, { id: p.id as string, contentHtml: p.content_html as string, createdAt: p.created_at as Date });
    }
  }
  return rows.map((r) => ({
    id: r.report_id as string,
    iri: r.report_iri as string,
    reporter: r.reporter_id ? reporters.get(r.reporter_id as string) ?? null : null,
    originDomain: (r.origin_domain as string | null) ?? null,
    target: toAccount(r),
    category: r.category as ReportCategory,
    comment: r.comment as string,
    posts: (r.post_iris as string[]).map((iri) => {
      const p = posts.get(iri);
      return { iri, id: p?.id ?? null, contentHtml: p?.contentHtml ?? null, createdAt: p?.createdAt ?? null };
    }),
    forwarded: r.forwarded as boolean,
    state: r.state as ReportView["state"],
    actionTaken: (r.action_taken as string | null) ?? null,
    resolvedAt: (r.resolved_at as Date | null) ?? null,
    createdAt: r.reported_at as Date,
  }));
}
