// Local and remote accounts. Local accounts are created with their key pairs in the same transaction.
import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { storeKeyPairs } from "./keys.ts";
import { revokeAccountTokens } from "./tokens.ts";
import { enqueueOutbox } from "../outbox.ts";
import { textToHtml } from "../posts/html.ts";
import { publish } from "../../events/bus.ts";
import type { Visibility } from "../audience/audience.ts";

export const LIMITS = { username: 30, displayName: 100, bio: 1000, password: { min: 10, max: 256 } } as const;

export const usernameSchema = z.string()
  .regex(/^[a-z0-9_]{1,30}$/, "a username has 1 to 30 characters: lower-case letters, digits and underscores");
export const passwordSchema = z.string().min(LIMITS.password.min, `a password has at least ${LIMITS.password.min} characters`)
  .max(LIMITS.password.max);

export interface Account {
  id: string;
  username: string;
  domain: string | null;
  iri: string;
  actorType: string;
  inboxUrl: string | null;
  sharedInboxUrl: string | null;
  followersUrl: string | null;
  followingUrl: string | null;
  url: string | null;
  displayName: string;
  bio: string;
  bioHtml: string;
  /**
   * Remote accounts: who their server gave the bio to (a sibling's signed answer is internal, migration 0014).
   * Local bios are read through profiles.visibility.bio. Read either through visibleProfile() (profile-visibility.ts).
   */
  bioAudience: "public" | "internal";
  avatarUrl: string | null;
  headerUrl: string | null;
  locked: boolean;
  discoverable: boolean;
  createdAt: Date;
  updatedAt: Date;
  fetchedAt: Date | null;
  remoteFollowersCount: number | null;
  remoteFollowingCount: number | null;
}

/** Moderators and administrators: they handle reports and accounts (and may grant apps the admin:* scopes). */
export function isStaff(user: Pick<LocalUser, "role">): boolean {
  return user.role === "admin" || user.role === "moderator";
}

export interface LocalUser {
  account: Account;
  email: string | null;
  role: "user" | "moderator" | "admin";
  locale: "fr" | "en" | null;
  /** The reader's IANA time zone (e.g. "Europe/Paris"); null until the browser or the person sets it. */
  timeZone: string | null;
  disabled: boolean;
  /** Posting defaults: the scope and language a new post takes when none is chosen (composer, Mastodon API). */
  defaultVisibility: DefaultVisibility;
  defaultLanguage: string | null;
  /** When the person asked for their account to be erased (accounts/deletion.ts); absent or null: not planned. */
  deletionDueAt?: Date | null;
}

/** Any scope but `direct` may be the default (Mastodon refuses a direct default too). */
export const DEFAULT_VISIBILITIES = ["public", "unlisted", "internal", "local", "followers"] as const satisfies readonly Visibility[];
export type DefaultVisibility = (typeof DEFAULT_VISIBILITIES)[number];

// The users columns toLocalUser reads, beside accountColumns.
function userColumns(db: Db) {
  return db.unsafe("u.email, u.role, u.locale, u.time_zone, u.disabled_at, u.default_visibility, u.default_language, u.deletion_due_at");
}

// One selection for accounts, used by every query that returns them.
export function accountColumns(db: Db, alias = "a") {
  return db.unsafe(`${alias}.id::text AS id, ${alias}.username, ${alias}.domain, ${alias}.iri, ${alias}.actor_type,
    ${alias}.inbox_url, ${alias}.shared_inbox_url, ${alias}.followers_url, ${alias}.following_url, ${alias}.url,
    ${alias}.display_name, ${alias}.bio, ${alias}.bio_html, ${alias}.bio_audience, ${alias}.avatar_url, ${alias}.header_url, ${alias}.locked,
    ${alias}.discoverable, ${alias}.created_at, ${alias}.updated_at, ${alias}.fetched_at,
    ${alias}.remote_followers_count, ${alias}.remote_following_count`);
}

type Row = Record<string, unknown>;
export function toAccount(r: Row): Account {
  return {
    id: String(r.id), username: r.username as string, domain: (r.domain as string) ?? null, iri: r.iri as string,
    actorType: r.actor_type as string, inboxUrl: (r.inbox_url as string) ?? null,
    sharedInboxUrl: (r.shared_inbox_url as string) ?? null, followersUrl: (r.followers_url as string) ?? null,
    followingUrl: (r.following_url as string) ?? null, url: (r.url as string) ?? null,
    displayName: r.display_name as string, bio: r.bio as string, bioHtml: r.bio_html as string,
    bioAudience: r.bio_audience === "internal" ? "internal" : "public",
    avatarUrl: (r.avatar_url as string) ?? null, headerUrl: (r.header_url as string) ?? null, locked: r.locked as boolean,
    discoverable: r.discoverable as boolean, createdAt: r.created_at as Date, updatedAt: r.updated_at as Date,
    fetchedAt: (r.fetched_at as Date) ?? null, remoteFollowersCount: (r.remote_followers_count as number) ?? null,
    remoteFollowingCount: (r.remote_following_count as number) ?? null,
  };
}

export function handleOf(account: Pick<Account, "username" | "domain">, localHost: string): string {
  return `@${account.username}@${account.domain ?? localHost}`;
}

export function localActorIri(origin: string, username: string): string {
  return `${origin}/users/${username}`;
}

export async function createLocalUser(db: Db, origin: string, input: {
  username: string; password?: string; admin?: boolean; locked?: boolean; email?: string; displayName?: string;
  /** Bulk creation (CSV import): keys are generated on first use (keys.ts ensureKeyPairs). */
  deferKeys?: boolean;
}): Promise<LocalUser> {
  const username = usernameSchema.safeParse(input.username);
  if (!username.success) throw new DomainError("invalid_username", 422, username.error.issues[0].message, "username");
  if (input.password !== undefined) {
    const p = passwordSchema.safeParse(input.password);
    if (!p.success) throw new DomainError("invalid_password", 422, p.error.issues[0].message, "password");
  }
  const passwordHash = input.password ? await hash(input.password) : null;
  const iri = localActorIri(origin, username.data);
  return await atomically(db, async (tx) => {
    // A deleted account's name stays taken (its tombstone): siblings still hold what it wrote under that IRI.
    const existing = await tx`SELECT 1 FROM accounts WHERE lower(username) = ${username.data} AND domain IS NULL
      UNION ALL SELECT 1 FROM tombstones WHERE iri = ${iri} AND account_id IS NULL`;
    if (existing.length > 0) throw new DomainError("username_taken", 409, `the username ${username.data} is taken`, "username");
    const [row] = await tx`INSERT INTO accounts AS a (username, iri, url, inbox_url, shared_inbox_url, followers_url,
        following_url, display_name, locked, fetched_at)
      VALUES (${username.data}, ${iri}, ${`${origin}/@${username.data}`}, ${`${iri}/inbox`}, ${`${origin}/inbox`},
        ${`${iri}/followers`}, ${`${iri}/following`}, ${input.displayName ?? ""}, ${input.locked ?? false}, now())
      RETURNING ${accountColumns(tx)}`;
    await tx`INSERT INTO users (account_id, email, password_hash, role)
      VALUES (${row.id}, ${input.email ?? null}, ${passwordHash}, ${input.admin ? "admin" : "user"})`;
    if (!input.deferKeys) await storeKeyPairs(tx, `account:${row.id}`);
    return {
      account: toAccount(row), email: input.email ?? null, role: input.admin ? "admin" : "user", locale: null, timeZone: null,
      disabled: false, defaultVisibility: "internal", defaultLanguage: null,
    };
  });
}

export async function findLocalUser(db: Db, username: string): Promise<LocalUser | null> {
  const rows = await db`SELECT ${accountColumns(db)}, ${userColumns(db)}
    FROM accounts a JOIN users u ON u.account_id = a.id
    WHERE lower(a.username) = ${username.toLowerCase()} AND a.domain IS NULL`;
  return rows[0] ? toLocalUser(rows[0]) : null;
}

export async function findLocalUserById(db: Db, id: string): Promise<LocalUser | null> {
  const rows = await db`SELECT ${accountColumns(db)}, ${userColumns(db)}
    FROM accounts a JOIN users u ON u.account_id = a.id WHERE a.id = ${id}`;
  return rows[0] ? toLocalUser(rows[0]) : null;
}

function toLocalUser(r: Row): LocalUser {
  return {
    account: toAccount(r), email: (r.email as string) ?? null, role: r.role as LocalUser["role"],
    locale: (r.locale as LocalUser["locale"]) ?? null, timeZone: (r.time_zone as string | null) ?? null, disabled: r.disabled_at != null,
    defaultVisibility: r.default_visibility as DefaultVisibility, defaultLanguage: (r.default_language as string) ?? null,
    deletionDueAt: (r.deletion_due_at as Date | null) ?? null,
  };
}

export const postingDefaultsSchema = z.object({
  visibility: z.enum(DEFAULT_VISIBILITIES, { message: "must be one of public, unlisted, internal, local or followers" }).optional(),
  // An ISO 639 code, as posts carry; null: the interface language.
  language: z.string().regex(/^[a-z]{2,3}$/, "must be a language code such as fr or en").nullable().optional(),
});

/** Changes what is given of a person's posting defaults. */
export async function setPostingDefaults(db: Db, accountId: string, input: z.input<typeof postingDefaultsSchema>): Promise<void> {
  const checked = postingDefaultsSchema.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new DomainError("validation_failed", 422, issue.message, String(issue.path[0]));
  }
  const { visibility, language } = checked.data;
  if (visibility === undefined && language === undefined) return;
  await db`UPDATE users SET default_visibility = coalesce(${visibility ?? null}, default_visibility),
    default_language = ${language === undefined ? db`default_language` : language}
    WHERE account_id = ${accountId}`;
}

export async function listLocalUsers(db: Db): Promise<LocalUser[]> {
  const rows = await db`SELECT ${accountColumns(db)}, ${userColumns(db)}
    FROM accounts a JOIN users u ON u.account_id = a.id ORDER BY a.username`;
  return rows.map(toLocalUser);
}

export async function countLocalUsers(db: Db): Promise<{ total: number; active: number }> {
  const [r] = await db`SELECT count(*)::int AS total, count(*) FILTER (WHERE disabled_at IS NULL)::int AS active FROM users`;
  return { total: r.total, active: r.active };
}

export async function disableUser(sql: Sql, username: string): Promise<void> {
  const [row] = await sql`SELECT a.id::text FROM accounts a JOIN users u ON u.account_id = a.id
    WHERE lower(a.username) = ${username.toLowerCase()} AND a.domain IS NULL`;
  if (!row) throw new DomainError("not_found", 404, `no local user named ${username}`);
  await atomically(sql, (tx) => disableAccount(tx, row.id as string));
}

/** A local person can no longer sign in (the CLI, a moderator's suspension): sessions and tokens stop at once. */
export async function disableAccount(db: Db, accountId: string): Promise<void> {
  await db`UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE account_id = ${accountId}`;
  await publish(db, { type: "account.changed", accountId });
  await db`DELETE FROM sessions WHERE account_id = ${accountId}`;
  await revokeAccountTokens(db, accountId);
}

/** Checks a password; returns the user or null. Argon2id verification runs even for unknown users (timing). */
export async function authenticate(db: Db, username: string, password: string): Promise<LocalUser | null> {
  const rows = await db`SELECT u.account_id::text AS id, u.password_hash FROM users u JOIN accounts a ON a.id = u.account_id
    WHERE lower(a.username) = ${username.trim().replace(/^@/, "").toLowerCase()} AND a.domain IS NULL`;
  const stored = rows[0]?.password_hash as string | undefined;
  const ok = await verify(stored ?? DUMMY_HASH, password).catch(() => false);
  if (!stored || !ok) return null;
  const user = await findLocalUserById(db, rows[0].id);
  return user && !user.disabled ? user : null;
}
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$6o2f7Ewa6ZQqPBjSJYgLahwQ0FkSUH9CxM1u5m4YMvo";

export const profileSchema = z.object({
  displayName: z.string().trim().max(LIMITS.displayName, `at most ${LIMITS.displayName} characters`).optional(),
  bio: z.string().max(LIMITS.bio, `at most ${LIMITS.bio} characters`).optional(),
  locked: z.boolean().optional(),
  discoverable: z.boolean().optional(),
  avatarUrl: z.string().nullable().optional(),
  headerUrl: z.string().nullable().optional(),
});
export type ProfileInput = z.infer<typeof profileSchema>;

/** Updates a local profile and queues Update(Person) for followers, in one transaction. */
export async function updateProfile(db: Db, accountId: string, input: ProfileInput): Promise<Account> {
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new DomainError("validation_failed", 422, `${String(i.path[0])}: ${i.message}`, String(i.path[0]));
  }
  const p = parsed.data;
  return await atomically(db, async (tx) => {
    const [row] = await tx`UPDATE accounts AS a SET
        display_name = coalesce(${p.displayName ?? null}, display_name),
        bio = coalesce(${p.bio ?? null}, bio),
        bio_html = CASE WHEN ${p.bio ?? null}::text IS NULL THEN bio_html ELSE ${p.bio === undefined ? null : textToHtml(p.bio)} END,
        locked = coalesce(${p.locked ?? null}, locked),
        discoverable = coalesce(${p.discoverable ?? null}, discoverable),
        avatar_url = CASE WHEN ${p.avatarUrl !== undefined} THEN ${p.avatarUrl ?? null} ELSE avatar_url END,
        header_url = CASE WHEN ${p.headerUrl !== undefined} THEN ${p.headerUrl ?? null} ELSE header_url END,
        updated_at = now()
      WHERE id = ${accountId} AND domain IS NULL RETURNING ${accountColumns(tx)}`;
    if (!row) throw new DomainError("not_found", 404, "no such local account");
    await enqueueOutbox(tx, { kind: "update-actor", accountId });
    await publish(tx, { type: "account.changed", accountId });
    return toAccount(row);
  });
}

export async function setLocale(db: Db, accountId: string, locale: "fr" | "en"): Promise<void> {
  await db`UPDATE users SET locale = ${locale} WHERE account_id = ${accountId}`;
}

/**
 * The IANA name of a time zone this runtime knows ("Europe/Paris"), in its canonical spelling, or null: what a
 * browser or a form sends is checked with Intl before it is stored or used to format a date.
 */
export function canonicalTimeZone(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Saves the reader's time zone; an unknown one is refused. `onlyIfUnset`: the browser's guess never overrides a choice. */
export async function setTimeZone(db: Db, accountId: string, timeZone: string, opts: { onlyIfUnset?: boolean } = {}): Promise<void> {
  const tz = canonicalTimeZone(timeZone);
  if (!tz) throw new DomainError("invalid_time_zone", 422, `unknown time zone: ${timeZone.slice(0, 64)}`);
  if (opts.onlyIfUnset) await db`UPDATE users SET time_zone = ${tz} WHERE account_id = ${accountId} AND time_zone IS NULL`;
  else await db`UPDATE users SET time_zone = ${tz} WHERE account_id = ${accountId}`;
}

/** Back to the browser's time zone (the next page the time-zone island runs on sets it again). */
export async function clearTimeZone(db: Db, accountId: string): Promise<void> {
  await db`UPDATE users SET time_zone = NULL WHERE account_id = ${accountId}`;
}

export async function findAccountById(db: Db, id: string): Promise<Account | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const rows = await db`SELECT ${accountColumns(db)} FROM accounts a WHERE a.id = ${id}`;
  return rows[0] ? toAccount(rows[0]) : null;
}

/** Several accounts at once, by id (missing ids are absent from the map); nulls are skipped. */
export async function accountsByIds(db: Db, ids: Array<string | null>): Promise<Map<string, Account>> {
  const wanted = [...new Set(ids.filter((x): x is string => x != null))];
  const found = new Map<string, Account>();
  if (wanted.length === 0) return found;
  for (const r of await db`SELECT ${accountColumns(db)} FROM accounts a WHERE a.id IN ${db(wanted)}`) found.set(String(r.id), toAccount(r));
  return found;
}

export async function findAccountByIri(db: Db, iri: string): Promise<Account | null> {
  const rows = await db`SELECT ${accountColumns(db)} FROM accounts a WHERE a.iri = ${iri}`;
  return rows[0] ? toAccount(rows[0]) : null;
}

/** username@domain (domain null or equal to our host = local). */
export async function findAccountByHandle(db: Db, username: string, domain: string | null): Promise<Account | null> {
  const rows = domain == null
    ? await db`SELECT ${accountColumns(db)} FROM accounts a WHERE lower(a.username) = ${username.toLowerCase()} AND a.domain IS NULL`
    : await db`SELECT ${accountColumns(db)} FROM accounts a WHERE lower(a.username) = ${username.toLowerCase()} AND lower(a.domain) = ${domain.toLowerCase()}`;
  return rows[0] ? toAccount(rows[0]) : null;
}

export interface RemoteAccountInput {
  iri: string; username: string; domain: string; actorType: string; inboxUrl: string | null;
  sharedInboxUrl: string | null; followersUrl: string | null; followingUrl: string | null; url: string | null;
  displayName: string; bioHtml: string; avatarUrl: string | null; headerUrl: string | null; locked: boolean;
  discoverable: boolean; followersCount: number | null; followingCount: number | null;
  /** Who the bio was given to (federation/mappers/actor.ts decides); unsaid, it is kept for employees. */
  bioAudience?: "public" | "internal";
}

/** Idempotent: the actor IRI is unique. Callers pass data already validated and sanitised (federation mappers). */
export async function upsertRemoteAccount(db: Db, a: RemoteAccountInput): Promise<Account> {
  const [row] = await db`INSERT INTO accounts AS a (username, domain, iri, actor_type, inbox_url, shared_inbox_url,
      followers_url, following_url, url, display_name, bio_html, bio_audience, avatar_url, header_url, locked, discoverable,
      remote_followers_count, remote_following_count, fetched_at)
    VALUES (${a.username}, ${a.domain}, ${a.iri}, ${a.actorType}, ${a.inboxUrl}, ${a.sharedInboxUrl}, ${a.followersUrl},
      ${a.followingUrl}, ${a.url}, ${a.displayName}, ${a.bioHtml}, ${a.bioAudience ?? "internal"}, ${a.avatarUrl}, ${a.headerUrl}, ${a.locked},
      ${a.discoverable}, ${a.followersCount}, ${a.followingCount}, now())
    ON CONFLICT (iri) DO UPDATE SET username = excluded.username, domain = excluded.domain,
      actor_type = excluded.actor_type, inbox_url = excluded.inbox_url, shared_inbox_url = excluded.shared_inbox_url,
      followers_url = excluded.followers_url, following_url = excluded.following_url, url = excluded.url,
      display_name = excluded.display_name, bio_html = excluded.bio_html, bio_audience = excluded.bio_audience, avatar_url = excluded.avatar_url,
      header_url = excluded.header_url, locked = excluded.locked, discoverable = excluded.discoverable,
      remote_followers_count = excluded.remote_followers_count, remote_following_count = excluded.remote_following_count,
      fetched_at = now(), updated_at = now()
    WHERE a.domain IS NOT NULL
    RETURNING ${accountColumns(db)}`;
  if (!row) throw new DomainError("conflict", 409, "refusing to overwrite a local account with remote data");
  return toAccount(row);
}
