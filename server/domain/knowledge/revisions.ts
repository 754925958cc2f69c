// An article's history: its revisions newest first, one revision's text, and the difference between any two (the
// `diff` library, line by line: the unified patch for the API, the changes for the page). Reading history needs
// reading the article (articles.ts findArticle, the audience rule).
import { createTwoFilesPatch, diffLines } from "diff";
import type { Db } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";

export interface RevisionView { id: string; articleId: string; author: Account; title: string; summary: string; restoredFrom: string | null; createdAt: Date; bytes: number }
export interface RevisionText extends RevisionView { source: string }

export async function listRevisions(db: Db, articleId: string, opts: { limit?: number; maxId?: string } = {}): Promise<RevisionView[]> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const rows = await db`SELECT r.id::text AS r_id, r.article_id::text AS r_article_id, r.title AS r_title, r.summary AS r_summary,
      r.restored_from::text AS r_restored_from, r.created_at AS r_created_at, octet_length(r.source) AS r_bytes, ${accountColumns(db)}
    FROM article_revisions r JOIN accounts a ON a.id = r.author_id
    WHERE r.article_id = ${articleId} ${opts.maxId ? db`AND r.id < ${opts.maxId}` : db``}
    ORDER BY r.id DESC LIMIT ${limit}`;
  return rows.map(toRevision);
}

function toRevision(r: Record<string, unknown>): RevisionView {
  return {
    id: r.r_id as string, articleId: r.r_article_id as string, author: toAccount(r), title: r.r_title as string,
    summary: r.r_summary as string, restoredFrom: r.r_restored_from as string | null, createdAt: r.r_created_at as Date, bytes: r.r_bytes as number,
  };
}

/** One revision of this article (one of another article is not found here). */
export async function getRevision(db: Db, articleId: string, revisionId: string): Promise<RevisionText> {
  if (!/^\d{1,18}$/.test(revisionId)) throw new DomainError("not_found", 404, "no such revision of this article");
  const [r] = await db`SELECT r.id::text AS r_id, r.article_id::text AS r_article_id, r.title AS r_title, r.summary AS r_summary,
      r.restored_from::text AS r_restored_from, r.created_at AS r_created_at, octet_length(r.source) AS r_bytes, r.source, ${accountColumns(db)}
    FROM article_revisions r JOIN accounts a ON a.id = r.author_id WHERE r.id = ${revisionId} AND r.article_id = ${articleId}`;
  if (!r) throw new DomainError("not_found", 404, "no such revision of this article");
  return { ...toRevision(r), source: r.source as string };
}

export interface DiffPart { kind: "same" | "added" | "removed"; text: string }
export interface RevisionDiff { from: RevisionView; to: RevisionView; patch: string; parts: DiffPart[]; added: number; removed: number }

export async function diffRevisions(db: Db, articleId: string, fromId: string, toId: string): Promise<RevisionDiff> {
  const [from, to] = await Promise.all([getRevision(db, articleId, fromId), getRevision(db, articleId, toId)]);
  const a = `# ${from.title}\n\n${from.source}\n`, b = `# ${to.title}\n\n${to.source}\n`;
  const parts: DiffPart[] = diffLines(a, b).map((c) => ({ kind: c.added ? "added" : c.removed ? "removed" : "same", text: c.value }));
  const lines = (k: DiffPart["kind"]) => parts.filter((p) => p.kind === k).reduce((n, p) => n + p.text.split("\n").length - 1, 0);
  const patch = createTwoFilesPatch(`revision ${from.id}`, `revision ${to.id}`, a, b, undefined, undefined, { context: 3 });
  const strip = ({ source: _s, ...rest }: RevisionText): RevisionView => rest;
  return { from: strip(from), to: strip(to), patch, parts, added: lines("added"), removed: lines("removed") };
}
