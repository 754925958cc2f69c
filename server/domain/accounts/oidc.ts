// Company sign-in (issue #16 point 1): what an OpenID Connect sign-in does to accounts, once the protocol part
// (server/routes/oidc/) has validated the ID token. An identity (issuer, subject) is linked to one local account:
// created on the first sign-in, or an existing account of the same name whose verified e-mail matches. The
// identity provider fills the profile (name, department, site, job, manager) at every sign-in; it never makes
// anyone an administrator and never takes over an administrator's account.
import { createHash, randomBytes } from "node:crypto";
import { atomically, type Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { createLocalUser, findLocalUserById, LIMITS, updateProfile, usernameSchema, type LocalUser } from "./accounts.ts";
import { managerIriFromRef, updateLocalProfile } from "../profiles/profiles.ts";
import { PROFILE_LIMITS, type ProfileInput } from "../profiles/profile-validation.ts";
import { publish } from "../../events/bus.ts";
import { revokeAccountTokens } from "./tokens.ts";

/** A sign-in under way is finished within this time, or started again. */
export const OIDC_STATE_TTL_SECONDS = 600;

/** The claims Ruche reads, already picked out of the ID token and UserInfo by the configured claim names. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  username: string | null;
  displayName: string | null;
  email: string | null;
  emailVerified: boolean;
  department: string | null;
  site: string | null;
  jobTitle: string | null;
  /** The manager's username, handle or e-mail, as the directory knows them. */
  manager: string | null;
}

export interface OidcSignIn {
  user: LocalUser;
  /** "created": a new account; "linked": an existing account took this identity; "known": signed in before. */
  outcome: "created" | "linked" | "known";
  /** What the identity provider sent that Ruche could not use (an unknown manager, a too-long field). */
  ignored: string[];
}

const digestOf = (state: string) => createHash("sha256").update(state).digest();

/** Remembers a sign-in under way; returns the `state` to send to the identity provider. */
export async function beginOidcLogin(db: Db, input: { nonce: string; codeVerifier: string; next: string }): Promise<string> {
  const state = randomBytes(32).toString("base64url");
  await db`DELETE FROM oidc_login_states WHERE created_at < now() - make_interval(secs => ${OIDC_STATE_TTL_SECONDS})`;
  await db`INSERT INTO oidc_login_states (state_hash, nonce, code_verifier, next_path)
    VALUES (${digestOf(state)}, ${input.nonce}, ${input.codeVerifier}, ${input.next})`;
  return state;
}

/** Takes back a sign-in under way, once: a replayed or stale state finds nothing. */
export async function takeOidcLogin(db: Db, state: string): Promise<{ nonce: string; codeVerifier: string; next: string } | null> {
  if (!state || state.length > 200) return null;
  const [row] = await db`DELETE FROM oidc_login_states WHERE state_hash = ${digestOf(state)}
    RETURNING nonce, code_verifier, next_path, created_at > now() - make_interval(secs => ${OIDC_STATE_TTL_SECONDS}) AS fresh`;
  if (!row || !row.fresh) return null;
  return { nonce: row.nonce, codeVerifier: row.code_verifier, next: row.next_path };
}

/**
 * A Ruche username from what the identity provider calls the person: "Jeanne.Dupont@acme.example" → "jeanne_dupont".
 * Null when nothing usable is left.
 */
export function usernameFromClaim(value: string | null): string | null {
  if (!value) return null;
  const local = value.split("@")[0].normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const name = local.replace(/[^a-z0-9_]+/g, "_").replace(/_+/g, "_").replace(/^_|_$/g, "").slice(0, LIMITS.username);
  return usernameSchema.safeParse(name).success ? name : null;
}

/** Signs a person in through the company's identity provider: finds, links or creates their account. */
export async function signInWithOidc(db: Db, origin: string, id: OidcIdentity): Promise<OidcSignIn> {
  const username = usernameFromClaim(id.username) ?? usernameFromClaim(id.email);
  const result = await atomically(db, async (tx) => {
    const [known] = await tx`UPDATE oidc_identities SET last_login_at = now()
      WHERE issuer = ${id.issuer} AND subject = ${id.subject} RETURNING account_id::text AS id`;
    if (known) return { accountId: known.id as string, outcome: "known" as const };
    if (!username) {
      throw new DomainError("oidc_no_username", 422, "the identity provider gave neither a usable user name nor an e-mail address");
    }
    const [existing] = await tx`SELECT a.id::text AS id, u.email, u.role, u.disabled_at,
        EXISTS (SELECT 1 FROM oidc_identities i WHERE i.account_id = a.id AND i.issuer = ${id.issuer}) AS has_identity
      FROM accounts a JOIN users u ON u.account_id = a.id
      WHERE lower(a.username) = ${username} AND a.domain IS NULL FOR UPDATE OF u`;
    if (existing) {
      if (existing.role === "admin") {
        throw new DomainError("oidc_admin_not_linked", 409,
          `an administrator account (${username}) is never taken over by a company sign-in; the administrator keeps signing in with a password`);
      }
      const sameEmail = id.email != null && id.emailVerified && existing.email != null &&
        String(existing.email).toLowerCase() === id.email.toLowerCase();
      if (existing.has_identity || !sameEmail) {
        throw new DomainError("oidc_username_taken", 409,
          `the account ${username} already exists and does not belong to this company identity (a verified e-mail address must match)`);
      }
      await tx`INSERT INTO oidc_identities (issuer, subject, account_id) VALUES (${id.issuer}, ${id.subject}, ${existing.id})`;
      return { accountId: existing.id as string, outcome: "linked" as const };
    }
    const created = await createLocalUser(tx, origin, {
      username, email: id.email && id.emailVerified ? id.email.toLowerCase() : undefined,
      displayName: id.displayName?.slice(0, LIMITS.displayName),
    });
    await tx`INSERT INTO oidc_identities (issuer, subject, account_id) VALUES (${id.issuer}, ${id.subject}, ${created.account.id})`;
    return { accountId: created.account.id, outcome: "created" as const };
  });
  const user = await findLocalUserById(db, result.accountId);
  if (!user) throw new DomainError("not_found", 404, "the account of this identity is gone");
  if (user.disabled) throw new DomainError("account_disabled", 403, "this account is disabled");
  const ignored = await syncProfile(db, user, id);
  return { user: (await findLocalUserById(db, user.account.id)) ?? user, outcome: result.outcome, ignored };
}

/** The identity provider is the source of the work fields: each sign-in brings the profile up to date. */
async function syncProfile(db: Db, user: LocalUser, id: OidcIdentity): Promise<string[]> {
  const ignored: string[] = [];
  const accountId = user.account.id;
  const fit = (field: "department" | "site" | "jobTitle", value: string | null): string | undefined => {
    if (value == null) return undefined;
    if (value.length > PROFILE_LIMITS[field]) {
      ignored.push(`${field}: longer than ${PROFILE_LIMITS[field]} characters`);
      return undefined;
    }
    return value.trim();
  };
  const input: ProfileInput = {};
  const department = fit("department", id.department);
  const site = fit("site", id.site);
  const jobTitle = fit("jobTitle", id.jobTitle);
  if (department !== undefined) input.department = department;
  if (site !== undefined) input.site = site;
  if (jobTitle !== undefined) input.jobTitle = jobTitle;
  if (id.manager) {
    const manager = await managerOf(db, id.manager, new URL(user.account.iri).host);
    if (manager && manager !== user.account.iri) input.manager = manager;
    else ignored.push(`manager: no account "${id.manager.slice(0, 100)}"`);
  }
  if (Object.keys(input).length > 0) {
    try {
      await updateLocalProfile(db, accountId, input);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      ignored.push(`profile: ${e.message}`);
    }
  }
  const name = id.displayName?.trim().slice(0, LIMITS.displayName);
  if (name && name !== user.account.displayName) await updateProfile(db, accountId, { displayName: name });
  return ignored;
}

/**
 * The manager as the identity provider names them: an account reference the directory understands, else a local
 * person's e-mail address, else the user name that person got from the same provider ("jeanne.dupont@…").
 */
async function managerOf(db: Db, ref: string, localHost: string): Promise<string | null> {
  const direct = await managerIriFromRef(db, ref, localHost);
  if (direct) return direct;
  if (ref.includes("@")) {
    const [byEmail] = await db`SELECT a.iri FROM users u JOIN accounts a ON a.id = u.account_id
      WHERE lower(u.email) = ${ref.trim().toLowerCase()} LIMIT 1`;
    if (byEmail) return byEmail.iri as string;
  }
  const username = usernameFromClaim(ref);
  return username ? await managerIriFromRef(db, username, localHost) : null;
}

/**
 * The identity provider says this person's sessions are over (OpenID Connect Back-Channel Logout: signed out at the
 * company, or their company account disabled): their web sessions end and their apps' tokens stop working, on every
 * web process at once. Returns the account signed out, or null for an identity Ruche does not know.
 */
export async function signOutOidcIdentity(db: Db, issuer: string, subject: string): Promise<string | null> {
  return await atomically(db, async (tx) => {
    const [row] = await tx`SELECT account_id::text AS id FROM oidc_identities WHERE issuer = ${issuer} AND subject = ${subject}`;
    if (!row) return null;
    await tx`DELETE FROM sessions WHERE account_id = ${row.id}`;
    await revokeAccountTokens(tx, row.id);
    await publish(tx, { type: "account.changed", accountId: row.id });
    return row.id as string;
  });
}
