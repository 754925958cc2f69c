// Muting people and words. Mutes are applied when reading (timelines.ts, notifications.ts) as anti-joins on the
// viewer's small mute sets, never by rewriting stored data — Mastodon's timelines collapsed from milliseconds to
// seconds with a few mutes (mastodon#33765), so the timeline queries apply them inside their index probes.
//
//   muteAccount(db, accountId, targetId, { notifications?, durationSeconds? }) / unmuteAccount(db, accountId, targetId)
//   listMutedAccounts(db, accountId) → Account[]
//   muteWord(db, accountId, phrase, { wholeWord? }) → WordMute / unmuteWord(db, accountId, id) / listWordMutes(db, accountId)
//   wordMuteRegex(db, accountId) → a PostgreSQL regular expression matching any muted word, or null
//   wordMutesToJsRegex(mutes) → the same test as a JavaScript RegExp (home timeline)
import type { Db } from "../../db/pool.ts";
import { type Account, accountColumns, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";

export async function muteAccount(db: Db, accountId: string, targetId: string, opts: { notifications?: boolean; durationSeconds?: number } = {}): Promise<void> {
  if (accountId === targetId) throw new DomainError("self_mute", 422, "you cannot mute yourself");
  const expires = opts.durationSeconds && opts.durationSeconds > 0 ? new Date(Date.now() + opts.durationSeconds * 1000) : null;
  const rows = await db`INSERT INTO account_mutes (account_id, target_id, notifications, expires_at)
    SELECT ${accountId}, id, ${opts.notifications ?? true}, ${expires} FROM accounts WHERE id = ${targetId}
    ON CONFLICT (account_id, target_id) DO UPDATE SET notifications = excluded.notifications, expires_at = excluded.expires_at
    RETURNING target_id`;
  if (rows.length === 0) throw new DomainError("not_found", 404, "no such account");
}

export async function unmuteAccount(db: Db, accountId: string, targetId: string): Promise<void> {
  await db`DELETE FROM account_mutes WHERE account_id = ${accountId} AND target_id = ${targetId}`;
}

export async function listMutedAccounts(db: Db, accountId: string): Promise<Account[]> {
  const rows = await db`SELECT ${accountColumns(db)} FROM account_mutes m JOIN accounts a ON a.id = m.target_id
    WHERE m.account_id = ${accountId} AND (m.expires_at IS NULL OR m.expires_at > now()) ORDER BY m.created_at DESC`;
  return rows.map(toAccount);
}

export async function mutedAccountIds(db: Db, accountId: string): Promise<string[]> {
  const rows = await db`SELECT target_id::text AS id FROM account_mutes
    WHERE account_id = ${accountId} AND (expires_at IS NULL OR expires_at > now())`;
  return rows.map((r) => r.id as string);
}

export interface WordMute { id: string; phrase: string; wholeWord: boolean }

export async function muteWord(db: Db, accountId: string, phrase: string, opts: { wholeWord?: boolean } = {}): Promise<WordMute> {
  const p = phrase.trim();
  if (p.length < 1 || p.length > 200) throw new DomainError("validation_failed", 422, "phrase: 1 to 200 characters", "phrase");
  const [r] = await db`INSERT INTO word_mutes (account_id, phrase, whole_word) VALUES (${accountId}, ${p}, ${opts.wholeWord ?? true})
    ON CONFLICT (account_id, phrase) DO UPDATE SET whole_word = excluded.whole_word RETURNING id::text, phrase, whole_word`;
  return { id: r.id, phrase: r.phrase, wholeWord: r.whole_word };
}

export async function unmuteWord(db: Db, accountId: string, id: string): Promise<void> {
  if (!/^\d{1,18}$/.test(id)) return;
  await db`DELETE FROM word_mutes WHERE account_id = ${accountId} AND id = ${id}`;
}

export async function listWordMutes(db: Db, accountId: string): Promise<WordMute[]> {
  const rows = await db`SELECT id::text, phrase, whole_word FROM word_mutes WHERE account_id = ${accountId} ORDER BY id`;
  return rows.map((r) => ({ id: r.id, phrase: r.phrase, wholeWord: r.whole_word }));
}

/** Escapes a phrase for a PostgreSQL ARE, so muting "c++" or "a.b" matches those characters literally. */
function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/** One case-insensitive regex for all of the viewer's muted words (used as `content_text !~* regex`), or null. */
export function wordMutesToRegex(mutes: WordMute[]): string | null {
  if (mutes.length === 0) return null;
  return mutes.map((m) => (m.wholeWord ? `\\m${escapeRegex(m.phrase)}\\M` : escapeRegex(m.phrase))).join("|");
}

/** The same test in JavaScript: case-insensitive, a whole word bounded by non-letters (Unicode-aware). */
export function wordMutesToJsRegex(mutes: WordMute[]): RegExp | null {
  if (mutes.length === 0) return null;
  const esc = (p: string) => p.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
  return new RegExp(mutes.map((m) => (m.wholeWord ? `(?<![\\p{L}\\p{N}_])${esc(m.phrase)}(?![\\p{L}\\p{N}_])` : esc(m.phrase))).join("|"), "iu");
}

export async function wordMuteRegex(db: Db, accountId: string): Promise<string | null> {
  return wordMutesToRegex(await listWordMutes(db, accountId));
}
