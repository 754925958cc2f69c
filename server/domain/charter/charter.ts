// The usage charter (issue #15 point 1; Code du travail L2242-17 7°: a charter on the right to disconnect and the
// use of digital tools). Administrators publish versions (French and English Markdown, a date from which each is in
// force, the version it replaces); every employee accepts the version in force before using the network, at first
// sign-in and again whenever a new version takes effect. Acceptances (who, which version, when) are kept for HR.
import { z } from "zod";
import { atomically, type Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { csvTable } from "../csv.ts";

export const CHARTER_LIMITS = { text: 100_000, aheadDays: 366 } as const;

export interface CharterVersion {
  id: string;
  version: number;
  textFr: string;
  textEn: string;
  effectiveAt: Date;
  /** The version number this one replaces, null for the first. */
  replacesVersion: number | null;
  createdAt: Date;
}

export const charterInputSchema = z.object({
  text_fr: z.string().trim().min(1, "the French text is required").max(CHARTER_LIMITS.text, `at most ${CHARTER_LIMITS.text} characters`),
  text_en: z.string().trim().min(1, "the English text is required").max(CHARTER_LIMITS.text, `at most ${CHARTER_LIMITS.text} characters`),
  // ISO 8601 with an offset ("2027-01-04T09:00:00+01:00"); absent: in force at once.
  effective_at: z.string().datetime({ offset: true, message: "must be a date and time such as 2027-01-04T09:00:00+01:00" }).optional(),
});
export type CharterInput = z.input<typeof charterInputSchema>;

const COLUMNS = `v.id::text AS id, v.version, v.text_fr, v.text_en, v.effective_at, v.created_at,
  (SELECT r.version FROM charter_versions r WHERE r.id = v.replaces) AS replaces_version`;

function toVersion(r: Record<string, unknown>): CharterVersion {
  return {
    id: r.id as string, version: r.version as number, textFr: r.text_fr as string, textEn: r.text_en as string,
    effectiveAt: r.effective_at as Date, replacesVersion: (r.replaces_version as number | null) ?? null, createdAt: r.created_at as Date,
  };
}

/** Publishes a new version; the administrator who publishes it has accepted it. */
export async function publishCharter(db: Db, adminAccountId: string, input: CharterInput): Promise<CharterVersion> {
  const parsed = charterInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError("validation_failed", 422, `${String(issue.path[0])}: ${issue.message}`, String(issue.path[0]));
  }
  const { text_fr, text_en, effective_at } = parsed.data;
  return await atomically(db, async (tx) => {
    // One publication at a time: version numbers and dates stay in order.
    await tx`SELECT pg_advisory_xact_lock(hashtext('ruche.charter'))`;
    const [latest] = await tx`SELECT id, version, effective_at, now() AS now FROM charter_versions ORDER BY version DESC LIMIT 1`;
    const [{ now }] = latest ? [latest] : await tx`SELECT now() AS now`;
    const effectiveAt = effective_at ? new Date(effective_at) : (now as Date);
    if (effectiveAt.getTime() > (now as Date).getTime() + CHARTER_LIMITS.aheadDays * 86_400_000) {
      throw new DomainError("charter_too_far", 422, `effective_at: at most ${CHARTER_LIMITS.aheadDays} days ahead`, "effective_at");
    }
    if (latest && effectiveAt.getTime() < (latest.effective_at as Date).getTime()) {
      throw new DomainError("charter_before_previous", 422,
        `effective_at: not before the date of version ${latest.version} (${(latest.effective_at as Date).toISOString()})`, "effective_at");
    }
    const [row] = await tx`INSERT INTO charter_versions (version, text_fr, text_en, effective_at, replaces, published_by)
      VALUES (${(latest?.version ?? 0) + 1}, ${text_fr}, ${text_en}, ${effectiveAt}, ${latest?.id ?? null}, ${adminAccountId})
      RETURNING id`;
    await tx`INSERT INTO charter_acceptances (account_id, version_id) VALUES (${adminAccountId}, ${row.id})`;
    const [v] = await tx.unsafe(`SELECT ${COLUMNS} FROM charter_versions v WHERE v.id = $1`, [row.id]);
    return toVersion(v);
  });
}

/** The version in force now (null: no charter yet), and the next one when one is scheduled. */
export async function charterInForce(db: Db): Promise<{ current: CharterVersion | null; upcoming: CharterVersion | null }> {
  const rows = await db.unsafe(`(SELECT ${COLUMNS}, 'current' AS slot FROM charter_versions v WHERE v.effective_at <= now()
      ORDER BY v.effective_at DESC, v.version DESC LIMIT 1)
    UNION ALL
    (SELECT ${COLUMNS}, 'upcoming' AS slot FROM charter_versions v WHERE v.effective_at > now()
      ORDER BY v.effective_at, v.version LIMIT 1)`);
  const pick = (slot: string) => rows.find((r) => r.slot === slot);
  const current = pick("current"), upcoming = pick("upcoming");
  return { current: current ? toVersion(current) : null, upcoming: upcoming ? toVersion(upcoming) : null };
}

/** All versions, newest first, with how many people accepted each. */
export async function charterHistory(db: Db): Promise<(CharterVersion & { acceptances: number })[]> {
  const rows = await db.unsafe(`SELECT ${COLUMNS},
      (SELECT count(*)::int FROM charter_acceptances a WHERE a.version_id = v.id) AS acceptances
    FROM charter_versions v ORDER BY v.version DESC LIMIT 200`);
  return rows.map((r) => ({ ...toVersion(r), acceptances: r.acceptances as number }));
}

/**
 * The version in force that this person has not accepted yet, or null. One indexed query: it runs on every page
 * view and API call of a signed-in person.
 */
export async function charterToAccept(db: Db, accountId: string): Promise<{ id: string; version: number } | null> {
  const [row] = await db`WITH cur AS (
      SELECT id, version FROM charter_versions WHERE effective_at <= now() ORDER BY effective_at DESC, version DESC LIMIT 1)
    SELECT cur.id::text AS id, cur.version FROM cur
    WHERE NOT EXISTS (SELECT 1 FROM charter_acceptances a WHERE a.version_id = cur.id AND a.account_id = ${accountId})`;
  return row ? { id: row.id as string, version: row.version as number } : null;
}

/**
 * Records that the person accepts the version in force. `version`: the one they were shown — if a newer one took
 * effect meanwhile, they are asked to read that one (409), rather than accepting a text they have not seen.
 */
export async function acceptCharter(db: Db, accountId: string, version?: number): Promise<{ version: number; acceptedAt: Date }> {
  const { current } = await charterInForce(db);
  if (!current) throw new DomainError("not_found", 404, "this instance has no usage charter");
  if (version !== undefined && version !== current.version) {
    throw new DomainError("charter_changed", 409, `version ${current.version} of the charter is now in force: read it before accepting`);
  }
  const [row] = await db`INSERT INTO charter_acceptances (account_id, version_id) VALUES (${accountId}, ${current.id})
    ON CONFLICT (account_id, version_id) DO UPDATE SET accepted_at = charter_acceptances.accepted_at
    RETURNING accepted_at`;
  return { version: current.version, acceptedAt: row.accepted_at as Date };
}

/** When this person accepted the version in force (null: not yet, or no charter). */
export async function acceptedAt(db: Db, accountId: string): Promise<Date | null> {
  const [row] = await db`SELECT a.accepted_at FROM charter_acceptances a
    WHERE a.account_id = ${accountId} AND a.version_id = (
      SELECT id FROM charter_versions WHERE effective_at <= now() ORDER BY effective_at DESC, version DESC LIMIT 1)`;
  return (row?.accepted_at as Date) ?? null;
}

export interface AcceptanceRecord { username: string; displayName: string; version: number; acceptedAt: Date }

/** Every acceptance, for HR: who accepted which version and when (local accounts), oldest first. */
export async function acceptanceRecords(db: Db): Promise<AcceptanceRecord[]> {
  const rows = await db`SELECT a.username, a.display_name, v.version, c.accepted_at
    FROM charter_acceptances c JOIN charter_versions v ON v.id = c.version_id JOIN accounts a ON a.id = c.account_id
    WHERE a.domain IS NULL ORDER BY v.version, c.accepted_at, a.username`;
  return rows.map((r) => ({ username: r.username, displayName: r.display_name, version: r.version, acceptedAt: r.accepted_at }));
}

/** CSV of the acceptance records, for HR. */
export function acceptancesCsv(records: AcceptanceRecord[]): string {
  return csvTable(["username", "display_name", "version", "accepted_at"],
    records.map((r) => [r.username, r.displayName, String(r.version), r.acceptedAt.toISOString()]));
}
