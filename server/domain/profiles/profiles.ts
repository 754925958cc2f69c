// Employee profiles: the structured fields next to an account (job, department, site, contact, manager, expertise,
// languages, career), each with a visibility. Local profiles are edited here; remote ones are stored as their
// server sent them (federation/directory-sync.ts). Validation rules live in profile-validation.ts.
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { enqueueOutbox } from "../outbox.ts";
import { publish } from "../../events/bus.ts";
import {
  type CareerEntry, type CustomField, EMPTY_PROFILE, type ProfileData, type ProfileError, type ProfileInput,
  validateProfile, type VisibilityMap,
} from "./profile-validation.ts";

export interface StoredProfile extends ProfileData {
  accountId: string;
  /** Remote profiles: the PropertyValue fields their server published (sanitised). */
  remoteFields: CustomField[];
  /** Remote profiles: the name the person's instance publishes in its NodeInfo (instance-names.ts), or "". */
  instanceName: string;
  scope: "internal" | "public";
  fromSibling: boolean;
  updatedAt: Date;
}

/** Thrown when a profile update is refused; carries every problem found. */
export class ProfileValidationError extends DomainError {
  errors: ProfileError[];
  constructor(errors: ProfileError[]) {
    const first = errors[0];
    super("validation_failed", 422, `${first.field}: ${first.message}`, first.field);
    this.errors = errors;
  }
}

export function profileColumns(db: Db, alias = "p") {
  return db.unsafe(`${alias}.account_id::text AS profile_account_id, ${alias}.pronouns, ${alias}.job_title, ${alias}.department,
    ${alias}.site, ${alias}.work_phone, ${alias}.work_email, ${alias}.manager_iri, ${alias}.expertise, ${alias}.languages,
    ${alias}.career, ${alias}.custom_fields, ${alias}.visibility, ${alias}.remote_fields,
    coalesce((SELECT n.name FROM instance_names n JOIN accounts na ON n.host = na.domain WHERE na.id = ${alias}.account_id), '')
      AS instance_name,
    ${alias}.scope, ${alias}.from_sibling, ${alias}.updated_at AS profile_updated_at`);
}

type Row = Record<string, unknown>;
export function toProfile(r: Row): StoredProfile {
  return {
    accountId: String(r.profile_account_id),
    pronouns: r.pronouns as string, jobTitle: r.job_title as string, department: r.department as string,
    site: r.site as string, workPhone: r.work_phone as string, workEmail: r.work_email as string,
    manager: (r.manager_iri as string) ?? null, expertise: r.expertise as string[], languages: r.languages as string[],
    career: r.career as CareerEntry[], customFields: r.custom_fields as CustomField[],
    visibility: r.visibility as VisibilityMap, remoteFields: r.remote_fields as CustomField[],
    instanceName: r.instance_name as string, scope: r.scope as "internal" | "public", fromSibling: r.from_sibling as boolean,
    updatedAt: r.profile_updated_at as Date,
  };
}

export async function getProfile(db: Db, accountId: string): Promise<StoredProfile | null> {
  const rows = await db`SELECT ${profileColumns(db)} FROM profiles p WHERE p.account_id = ${accountId}`;
  return rows[0] ? toProfile(rows[0]) : null;
}

/** Profiles of many accounts at once (API pages, directory results). */
export async function getProfiles(db: Db, accountIds: string[]): Promise<Map<string, StoredProfile>> {
  if (accountIds.length === 0) return new Map();
  const rows = await db`SELECT ${profileColumns(db)} FROM profiles p WHERE p.account_id = ANY(${accountIds}::bigint[])`;
  return new Map(rows.map((r) => [String(r.profile_account_id), toProfile(r)]));
}

function sameProfile(a: ProfileData, b: ProfileData): boolean {
  const keys = Object.keys(EMPTY_PROFILE) as (keyof ProfileData)[];
  return keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/**
 * Updates a local profile (only the fields given) and, when something changed, queues Update(Person) in the same
 * transaction. The manager must be a known account other than the person, and not make a reporting loop.
 * Returns whether anything changed (the CSV import relies on it to be idempotent without federation noise).
 */
/**
 * `visibility: "merge"` (the API's PATCH): only the fields named in `input.visibility` change scope; "replace"
 * (the settings form, which sends every field): the map given is the whole map.
 */
export async function updateLocalProfile(db: Db, accountId: string, input: ProfileInput,
  opts: { visibility?: "merge" | "replace" } = {}): Promise<{ profile: StoredProfile; changed: boolean }> {
  const checked = validateProfile(input);
  if (!checked.ok) throw new ProfileValidationError(checked.errors);
  const v = checked.value;
  return await atomically(db, async (tx) => {
    const [self] = await tx`SELECT a.iri FROM accounts a WHERE a.id = ${accountId} AND a.domain IS NULL FOR UPDATE`;
    if (!self) throw new DomainError("not_found", 404, "no such local account");
    const before = await getProfile(tx, accountId);
    if (!before) throw new DomainError("not_found", 404, "no profile for this account");
    if (v.manager) {
      if (v.manager === self.iri) throw new ProfileValidationError([{ field: "manager", code: "manager_self", message: "a person cannot be their own manager" }]);
      const [m] = await tx`SELECT 1 FROM accounts WHERE iri = ${v.manager}`;
      if (!m) throw new ProfileValidationError([{ field: "manager", code: "invalid", message: "the manager is not a known account" }]);
      // Would the new manager's own chain lead back to this person? (bounded walk; remote links included)
      const [loop] = await tx`WITH RECURSIVE chain(iri, depth) AS (
          SELECT ${v.manager}::text, 0
          UNION ALL
          SELECT p.manager_iri, c.depth + 1 FROM chain c JOIN accounts a ON a.iri = c.iri JOIN profiles p ON p.account_id = a.id
          WHERE p.manager_iri IS NOT NULL AND c.depth < 50)
        SELECT 1 FROM chain WHERE iri = ${self.iri} LIMIT 1`;
      if (loop) throw new ProfileValidationError([{ field: "manager", code: "manager_loop", message: "this manager reports (directly or not) to this person" }]);
    }
    const next: ProfileData = { ...pickData(before), ...v };
    if (opts.visibility === "merge" && input.visibility) {
      const merged = { ...before.visibility };
      for (const [field, scope] of Object.entries(input.visibility)) {
        if (scope === "public") merged[field as keyof typeof merged] = "public";
        else delete merged[field as keyof typeof merged];
      }
      next.visibility = merged;
    }
    if (sameProfile(pickData(before), next)) return { profile: before, changed: false };
    const [row] = await tx`UPDATE profiles AS p SET pronouns = ${next.pronouns}, job_title = ${next.jobTitle},
        department = ${next.department}, site = ${next.site}, work_phone = ${next.workPhone}, work_email = ${next.workEmail},
        manager_iri = ${next.manager}, expertise = ${next.expertise}, languages = ${next.languages},
        career = ${tx.json(next.career as never)}, custom_fields = ${tx.json(next.customFields as never)},
        visibility = ${tx.json(next.visibility as never)}, updated_at = now()
      WHERE account_id = ${accountId} RETURNING ${profileColumns(tx)}`;
    await enqueueOutbox(tx, { kind: "update-actor", accountId });
    // Cached actor documents are dropped (server/instance.ts subscribes).
    await publish(tx, { type: "account.changed", accountId });
    return { profile: toProfile(row), changed: true };
  });
}

export function pickData(p: StoredProfile): ProfileData {
  const { pronouns, jobTitle, department, site, workPhone, workEmail, manager, expertise, languages, career, customFields, visibility } = p;
  return { pronouns, jobTitle, department, site, workPhone, workEmail, manager, expertise, languages, career, customFields, visibility };
}

export interface RemoteProfileInput {
  data: ProfileData;
  remoteFields: CustomField[];
  scope: "internal" | "public";
  fromSibling: boolean;
}

/**
 * Stores a remote profile as received (already validated and bounded by the federation mapper). A public copy never
 * overwrites an internal one from a sibling: an Update addressed to the fediverse must not erase what the sibling
 * told us in its signed, internal answer.
 */
export async function upsertRemoteProfile(db: Db, accountId: string, p: RemoteProfileInput): Promise<void> {
  const d = p.data;
  await db`INSERT INTO profiles AS p (account_id, pronouns, job_title, department, site, work_phone, work_email, manager_iri,
      expertise, languages, career, custom_fields, visibility, remote_fields, instance_name, scope, from_sibling, updated_at)
    VALUES (${accountId}, ${d.pronouns}, ${d.jobTitle}, ${d.department}, ${d.site}, ${d.workPhone}, ${d.workEmail}, ${d.manager},
      ${d.expertise}, ${d.languages}, ${db.json(d.career as never)}, ${db.json(d.customFields as never)}, ${db.json(d.visibility as never)},
      ${db.json(p.remoteFields as never)}, '', ${p.scope}, ${p.fromSibling}, now())
    ON CONFLICT (account_id) DO UPDATE SET pronouns = excluded.pronouns, job_title = excluded.job_title,
      department = excluded.department, site = excluded.site, work_phone = excluded.work_phone,
      work_email = excluded.work_email, manager_iri = excluded.manager_iri, expertise = excluded.expertise,
      languages = excluded.languages, career = excluded.career, custom_fields = excluded.custom_fields,
      visibility = excluded.visibility, remote_fields = excluded.remote_fields, instance_name = excluded.instance_name,
      scope = excluded.scope, from_sibling = excluded.from_sibling, updated_at = now()
    WHERE (SELECT domain FROM accounts WHERE id = p.account_id) IS NOT NULL
      AND NOT (p.scope = 'internal' AND excluded.scope = 'public')`;
}

/** A remote person left a sibling's directory (no longer discoverable, disabled, or gone). */
export async function removeRemoteProfile(db: Db, accountId: string): Promise<void> {
  await db`DELETE FROM profiles WHERE account_id = ${accountId}
    AND (SELECT domain FROM accounts WHERE id = ${accountId}) IS NOT NULL`;
}

/**
 * A manager named the way people name accounts: `alice` (local), `@bob@lyon.example:8443` or `bob@lyon…` (a known
 * remote account), or an actor IRI. Only accounts this instance already knows; null otherwise.
 */
export async function managerIriFromRef(db: Db, ref: string, localHost: string): Promise<string | null> {
  const value = ref.trim();
  if (/^https?:\/\//.test(value)) {
    const [row] = await db`SELECT iri FROM accounts WHERE iri = ${value}`;
    return (row?.iri as string) ?? null;
  }
  const m = /^@?([^@\s]+)(?:@([^@\s]+))?$/.exec(value);
  if (!m) return null;
  const local = !m[2] || m[2].toLowerCase() === localHost.toLowerCase();
  const [row] = local
    ? await db`SELECT iri FROM accounts WHERE lower(username) = ${m[1].toLowerCase()} AND domain IS NULL`
    : await db`SELECT iri FROM accounts WHERE lower(username) = ${m[1].toLowerCase()} AND lower(domain) = ${m[2].toLowerCase()}`;
  return (row?.iri as string) ?? null;
}
