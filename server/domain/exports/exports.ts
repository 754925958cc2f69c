// A person's archive of everything about them (issue #16 point 3; GDPR articles 15 and 20): requested by its owner,
// built by the worker (the `account-export` job, federation/account-export.ts) with progress, downloadable by its
// owner only for 48 hours, then removed (the `account-export-expire` job). One archive is built at a time per person.
import { join } from "node:path";
import { atomically, type Db } from "../../db/pool.ts";
import { LocalDiskStorage } from "../../../media/storage.ts";
import { enqueueJob } from "../../jobs/enqueue.ts";
import { DomainError } from "../errors.ts";

export const EXPORT_TTL_HOURS = 48;

/** Archives live beside the media, under the data directory: `exports/<random>.zip`. */
export function exportStorage(dataDir: string): LocalDiskStorage {
  return new LocalDiskStorage(join(dataDir, "exports"));
}

export type ExportState = "pending" | "running" | "ready" | "failed" | "expired";

export interface AccountExport {
  id: string;
  accountId: string;
  state: ExportState;
  progress: number;
  fileKey: string | null;
  sizeBytes: number | null;
  error: string | null;
  createdAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
}

function toExport(r: Record<string, unknown>): AccountExport {
  return {
    id: String(r.id), accountId: String(r.account_id), state: r.state as ExportState, progress: r.progress as number,
    fileKey: (r.file_key as string) ?? null, sizeBytes: r.size_bytes == null ? null : Number(r.size_bytes),
    error: (r.error as string) ?? null, createdAt: r.created_at as Date, readyAt: (r.ready_at as Date) ?? null,
    expiresAt: (r.expires_at as Date) ?? null,
  };
}

/**
 * Asks for an archive. While one is being built, asking again returns that one (a double click, an impatient app)
 * rather than building two. The job is queued in the same transaction.
 */
export async function requestExport(db: Db, accountId: string): Promise<AccountExport> {
  return await atomically(db, async (tx) => {
    const [inserted] = await tx`INSERT INTO account_exports (account_id) VALUES (${accountId})
      ON CONFLICT (account_id) WHERE state IN ('pending', 'running') DO NOTHING RETURNING *`;
    if (!inserted) {
      const [running] = await tx`SELECT * FROM account_exports WHERE account_id = ${accountId} AND state IN ('pending', 'running')`;
      return toExport(running);
    }
    await enqueueJob(tx, "account-export", { exportId: String(inserted.id) });
    return toExport(inserted);
  });
}

/** The person's own archive; someone else's is "not found", whoever asks. */
export async function findExport(db: Db, accountId: string, id: string): Promise<AccountExport | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await db`SELECT * FROM account_exports WHERE id = ${id} AND account_id = ${accountId}`;
  return row ? toExport(row) : null;
}

/** The person's latest archives, newest first. */
export async function listExports(db: Db, accountId: string, limit = 5): Promise<AccountExport[]> {
  const rows = await db`SELECT * FROM account_exports WHERE account_id = ${accountId} ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
  return rows.map(toExport);
}

/** The worker takes the archive: null when it is not pending any more (already built, expired). */
export async function startExport(db: Db, id: string): Promise<AccountExport | null> {
  const [row] = await db`UPDATE account_exports SET state = 'running', progress = 0
    WHERE id = ${id} AND state IN ('pending', 'running') RETURNING *`;
  return row ? toExport(row) : null;
}

export async function reportExportProgress(db: Db, id: string, progress: number): Promise<void> {
  await db`UPDATE account_exports SET progress = ${Math.max(0, Math.min(99, Math.floor(progress)))} WHERE id = ${id} AND state = 'running'`;
}

/** The archive is written: downloadable for 48 hours, and its removal is queued with it. */
export async function finishExport(db: Db, id: string, file: { key: string; size: number }): Promise<void> {
  await atomically(db, async (tx) => {
    await tx`UPDATE account_exports SET state = 'ready', progress = 100, file_key = ${file.key}, size_bytes = ${file.size},
        ready_at = now(), expires_at = now() + make_interval(hours => ${EXPORT_TTL_HOURS})
      WHERE id = ${id}`;
    await enqueueJob(tx, "account-export-expire", { exportId: id }, { delayMs: EXPORT_TTL_HOURS * 3_600_000 });
  });
}

export async function failExport(db: Db, id: string, error: string): Promise<void> {
  await db`UPDATE account_exports SET state = 'failed', error = ${error.slice(0, 500)} WHERE id = ${id} AND state IN ('pending', 'running')`;
}

/** Marks an archive expired; returns its file key for removal (null when already gone). */
export async function expireExport(db: Db, id: string): Promise<string | null> {
  const [row] = await db`WITH old AS (SELECT id, file_key FROM account_exports WHERE id = ${id} AND state = 'ready' FOR UPDATE)
    UPDATE account_exports e SET state = 'expired', file_key = NULL FROM old WHERE e.id = old.id RETURNING old.file_key AS key`;
  return (row?.key as string) ?? null;
}

/** The file of a ready, unexpired archive of this person; a clear error otherwise. */
export async function downloadableExport(db: Db, accountId: string, id: string): Promise<AccountExport & { fileKey: string }> {
  const e = await findExport(db, accountId, id);
  if (!e) throw new DomainError("not_found", 404, "no such archive");
  if (e.state === "expired" || (e.expiresAt && e.expiresAt.getTime() <= Date.now())) {
    throw new DomainError("export_expired", 409, `this archive was available for ${EXPORT_TTL_HOURS} hours and has been removed: ask for a new one`);
  }
  if (e.state !== "ready" || !e.fileKey) throw new DomainError("export_not_ready", 409, "this archive is not ready yet");
  return { ...e, fileKey: e.fileKey };
}

/** The lists an archive carries as CSV and collections: handles of people, IRIs of posts. */
export interface ArchiveLists {
  following: string[];
  followers: string[];
  blocked: string[];
  muted: string[];
  likes: string[];
  bookmarks: string[];
}

/** `user@host` of an account as the archive names it (local accounts with this instance's host). */
const handleSql = (db: Db, localHost: string) => db`(a.username || '@' || coalesce(a.domain, ${localHost}))`;

export async function archiveLists(db: Db, accountId: string, localHost: string): Promise<ArchiveLists> {
  const handle = handleSql(db, localHost);
  const [following, followers, blocked, muted, likes, bookmarks] = await Promise.all([
    db`SELECT ${handle} AS v FROM follows f JOIN accounts a ON a.id = f.following_id WHERE f.follower_id = ${accountId} AND f.state = 'accepted' ORDER BY f.id`,
    db`SELECT ${handle} AS v FROM follows f JOIN accounts a ON a.id = f.follower_id WHERE f.following_id = ${accountId} AND f.state = 'accepted' ORDER BY f.id`,
    db`SELECT ${handle} AS v FROM blocks b JOIN accounts a ON a.id = b.target_id WHERE b.account_id = ${accountId} ORDER BY b.id`,
    db`SELECT ${handle} AS v FROM account_mutes m JOIN accounts a ON a.id = m.target_id
      WHERE m.account_id = ${accountId} AND (m.expires_at IS NULL OR m.expires_at > now()) ORDER BY m.created_at`,
    db`SELECT p.iri AS v FROM likes l JOIN posts p ON p.id = l.post_id WHERE l.account_id = ${accountId} ORDER BY l.id`,
    db`SELECT p.iri AS v FROM bookmarks b JOIN posts p ON p.id = b.post_id WHERE b.account_id = ${accountId} ORDER BY b.id`,
  ]);
  const values = (rows: { v: string }[]) => rows.map((r) => r.v);
  return {
    following: values(following as never), followers: values(followers as never), blocked: values(blocked as never),
    muted: values(muted as never), likes: values(likes as never), bookmarks: values(bookmarks as never),
  };
}

/** The local media files of a person's own posts, avatar and header (`/media/…` URLs), for the archive. */
export async function archiveMedia(db: Db, accountId: string): Promise<string[]> {
  const rows = await db`SELECT url FROM attachments WHERE account_id = ${accountId} AND NOT remote AND post_id IS NOT NULL
    UNION SELECT avatar_url FROM accounts WHERE id = ${accountId} AND avatar_url LIKE '/media/%'
    UNION SELECT header_url FROM accounts WHERE id = ${accountId} AND header_url LIKE '/media/%'`;
  return rows.map((r) => r.url as string).filter((u) => u.startsWith("/media/"));
}

/** How many posts the archive will hold, for its progress. */
export async function ownPostCount(db: Db, accountId: string): Promise<number> {
  const [row] = await db`SELECT count(*)::int AS n FROM posts WHERE account_id = ${accountId} AND reblog_of_id IS NULL`;
  return row.n as number;
}
