// Web Push subscriptions as Mastodon keeps them (/api/v1/push/subscription): one per access token, with the
// notification types whose alert is on and a policy saying whose notifications are pushed. notify() calls
// enqueuePushes() in the notification's transaction, so a committed notification always has its push jobs; the
// `push` queue's handler (server/push/deliver.ts) encrypts and sends them.
//
//   createPushSubscription(db, input)           — replaces the token's subscription; keys checked, nothing stored on error
//   findPushSubscription(db, tokenId) / updatePushAlerts(db, tokenId, data) / deletePushSubscription(db, tokenId)
//   dropPushSubscriptions(db, tokenIds)          — called by every path that revokes tokens, through tokensRevoked (tokens.ts)
//   enqueuePushes(db, notification)              — alerts and policy applied here, at the notification's commit
//   pushTarget(db, subscriptionId)               — what the handler sends to (null once deleted or its token revoked)
import { createECDH } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/pool.ts";
import { atomically } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";
import { relationships } from "../follows/follows.ts";
import { enqueueJob } from "../../jobs/enqueue.ts";
import type { NotificationType } from "../notifications/notifications.ts";

/** Mastodon's alert names (Notification::TYPES); Ruche has no notification yet for `status` and `admin.*`. */
export const PUSH_ALERTS = ["mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update", "admin.sign_up", "admin.report"] as const;
export type PushAlert = (typeof PUSH_ALERTS)[number];
export const PUSH_POLICIES = ["all", "followed", "follower", "none"] as const;
export type PushPolicy = (typeof PUSH_POLICIES)[number];

/** The alert a notification answers to: our `reply` is Mastodon's `mention`, as in the notifications API. */
export function alertOf(type: NotificationType): PushAlert {
  // Being asked to answer a question (issue #14) is a personal call, as a mention is.
  // So is everything about an event one organises, is invited to or attends (issue #12).
  return type === "reply" || type === "ruche.question" || type.startsWith("ruche.event_") ? "mention" : type as PushAlert;
}

export interface PushSubscription {
  id: string;
  accountId: string;
  endpoint: string;
  alerts: Record<PushAlert, boolean>;
  policy: PushPolicy;
}

export interface PushData { alerts: PushAlert[]; policy: PushPolicy }

// Keys arrive base64url without padding from browsers (PushSubscription.toJSON), with padding or in plain base64
// from some apps. A bound on the text keeps an oversized key from costing anything past the regex.
const base64 = z.string().max(200, "is too long").regex(/^[A-Za-z0-9+/_-]+={0,2}$/, "is not base64");

function decodeKey(field: string, value: string): Buffer {
  const parsed = base64.safeParse(value);
  if (!parsed.success) throw new DomainError("invalid_key", 422, `${field}: ${parsed.error.issues[0].message}`, field);
  return Buffer.from(value.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"), "base64url");
}

/**
 * RFC 8291 needs the subscriber's P-256 public key (an uncompressed point, 65 bytes) and a 16-byte auth secret; a
 * key that is not a point on the curve would make every push fail later, so it is refused now (Mastodon's
 * WebPushKeyValidator). Returns both keys in base64url.
 */
export function checkSubscriptionKeys(p256dh: string, auth: string): { p256dh: string; auth: string } {
  const point = decodeKey("keys.p256dh", p256dh);
  if (point.length !== 65 || point[0] !== 0x04) {
    throw new DomainError("invalid_key", 422, "keys.p256dh: is not an uncompressed P-256 public key (65 bytes)", "keys.p256dh");
  }
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    ecdh.computeSecret(point); // throws unless the point is on the curve
  } catch {
    throw new DomainError("invalid_key", 422, "keys.p256dh: is not a point on the P-256 curve", "keys.p256dh");
  }
  const secret = decodeKey("keys.auth", auth);
  if (secret.length !== 16) throw new DomainError("invalid_key", 422, "keys.auth: is not a 16-byte secret", "keys.auth");
  return { p256dh: point.toString("base64url"), auth: secret.toString("base64url") };
}

type Row = Record<string, unknown>;

function toSubscription(r: Row): PushSubscription {
  const on = new Set(r.alerts as string[]);
  return {
    id: r.id as string, accountId: r.account_id as string, endpoint: r.endpoint as string,
    alerts: Object.fromEntries(PUSH_ALERTS.map((a) => [a, on.has(a)])) as Record<PushAlert, boolean>,
    policy: r.policy as PushPolicy,
  };
}

const columns = (db: Db) => db`id::text, account_id::text, endpoint, alerts, policy`;

export interface NewPushSubscription extends PushData {
  accountId: string;
  tokenId: string;
  /** The bearer token the subscription was made with: Mastodon's payload carries it (see migration 0022). */
  accessToken: string;
  /** Already checked by the caller against the outbound URL guard (private addresses refused). */
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Mastodon's create: the token's previous subscription is replaced. Bad keys are refused before any write. */
export async function createPushSubscription(db: Db, s: NewPushSubscription): Promise<PushSubscription> {
  const keys = checkSubscriptionKeys(s.p256dh, s.auth);
  return await atomically(db, async (tx) => {
    await tx`DELETE FROM push_subscriptions WHERE token_id = ${s.tokenId}`;
    const [row] = await tx`INSERT INTO push_subscriptions (account_id, token_id, access_token, endpoint, key_p256dh, key_auth, alerts, policy)
      VALUES (${s.accountId}, ${s.tokenId}, ${s.accessToken}, ${s.endpoint}, ${keys.p256dh}, ${keys.auth}, ${[...new Set(s.alerts)]}, ${s.policy})
      RETURNING ${columns(tx)}`;
    return toSubscription(row);
  });
}

export async function findPushSubscription(db: Db, tokenId: string): Promise<PushSubscription | null> {
  const [row] = await db`SELECT ${columns(db)} FROM push_subscriptions WHERE token_id = ${tokenId}`;
  return row ? toSubscription(row) : null;
}

/** Mastodon's update replaces the whole `data`: alerts not given are off, the policy defaults to `all`. */
export async function updatePushAlerts(db: Db, tokenId: string, data: PushData): Promise<PushSubscription | null> {
  const [row] = await db`UPDATE push_subscriptions SET alerts = ${[...new Set(data.alerts)]}, policy = ${data.policy}, updated_at = now()
    WHERE token_id = ${tokenId} RETURNING ${columns(db)}`;
  return row ? toSubscription(row) : null;
}

export async function deletePushSubscription(db: Db, tokenId: string): Promise<void> {
  await db`DELETE FROM push_subscriptions WHERE token_id = ${tokenId}`;
}

/** Revoked tokens' subscriptions go with them, and with them the only stored copy of those tokens. */
export async function dropPushSubscriptions(db: Db, tokenIds: string[]): Promise<void> {
  if (tokenIds.length > 0) await db`DELETE FROM push_subscriptions WHERE token_id = ANY(${tokenIds}::bigint[])`;
}

/** The push service said the subscription is gone (404, 410…): pushes to it stop. */
export async function deletePushSubscriptionById(db: Db, id: string): Promise<void> {
  await db`DELETE FROM push_subscriptions WHERE id = ${id}`;
}

/** `digest`: the held notifications released together (issue #15), pushed as one summary; notificationId is the newest. */
export interface PushJob { subscriptionId: string; notificationId: string; digest?: string[] }

export type PushSkip = { subscriptionId: string; reason: "alert" | "policy" };

/**
 * Queues one `push` job per subscription of the recipient that wants this notification (its alert on, its policy
 * met: `followed` = the recipient follows the sender, `follower` = the sender follows the recipient), in the
 * caller's transaction. Subscriptions of revoked tokens are left out. Returns what was skipped and why.
 */
export async function enqueuePushes(db: Db, n: { notificationId: string; accountId: string; fromAccountId: string; type: NotificationType }): Promise<{ enqueued: number; skipped: PushSkip[] }> {
  const subs = await db`SELECT s.id::text, s.policy, ${alertOf(n.type)} = ANY(s.alerts) AS alert_on
    FROM push_subscriptions s JOIN api_tokens t ON t.id = s.token_id AND t.revoked_at IS NULL
    WHERE s.account_id = ${n.accountId} ORDER BY s.id`;
  const skipped: PushSkip[] = [];
  if (subs.length === 0) return { enqueued: 0, skipped };
  const relation = subs.some((s) => s.policy === "followed" || s.policy === "follower")
    ? (await relationships(db, n.accountId, [n.fromAccountId]))[0]
    : null;
  let enqueued = 0;
  for (const s of subs) {
    if (!s.alert_on) { skipped.push({ subscriptionId: s.id, reason: "alert" }); continue; }
    const allowed = s.policy === "all" || (s.policy === "followed" && relation?.following) || (s.policy === "follower" && relation?.followedBy);
    if (!allowed) { skipped.push({ subscriptionId: s.id, reason: "policy" }); continue; }
    await enqueueJob(db, "push", { subscriptionId: s.id, notificationId: n.notificationId } satisfies PushJob);
    enqueued++;
  }
  return { enqueued, skipped };
}

export interface PushTarget {
  id: string;
  accountId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  accessToken: string;
  locale: "fr" | "en" | null;
}

/** What the handler sends to: null when the subscription is gone, its token revoked or its person disabled. */
export async function pushTarget(db: Db, subscriptionId: string): Promise<PushTarget | null> {
  if (!/^\d{1,18}$/.test(subscriptionId)) return null;
  const [r] = await db`SELECT s.id::text, s.account_id::text, s.endpoint, s.key_p256dh, s.key_auth, s.access_token, u.locale
    FROM push_subscriptions s JOIN api_tokens t ON t.id = s.token_id AND t.revoked_at IS NULL
    JOIN users u ON u.account_id = s.account_id AND u.disabled_at IS NULL
    WHERE s.id = ${subscriptionId}`;
  return r ? {
    id: r.id, accountId: r.account_id, endpoint: r.endpoint, p256dh: r.key_p256dh, auth: r.key_auth,
    accessToken: r.access_token, locale: r.locale ?? null,
  } : null;
}

/**
 * Held notifications released together (quiet/held.ts): one `push` job per subscription carrying those of them
 * its alerts and policy want — one summary on the phone at the start of the day, not a burst of pushes.
 */
export async function enqueueDigestPushes(db: Db, accountId: string, ns: { notificationId: string; fromAccountId: string; type: NotificationType }[]): Promise<number> {
  const subs = await db`SELECT s.id::text, s.policy, s.alerts
    FROM push_subscriptions s JOIN api_tokens t ON t.id = s.token_id AND t.revoked_at IS NULL
    WHERE s.account_id = ${accountId} ORDER BY s.id`;
  if (subs.length === 0 || ns.length === 0) return 0;
  const rels = subs.some((s) => s.policy === "followed" || s.policy === "follower")
    ? new Map((await relationships(db, accountId, [...new Set(ns.map((n) => n.fromAccountId))])).map((r) => [r.id, r]))
    : new Map();
  let enqueued = 0;
  for (const s of subs) {
    const ids = ns.filter((n) => {
      if (!(s.alerts as string[]).includes(alertOf(n.type))) return false;
      const r = rels.get(n.fromAccountId);
      return s.policy === "all" || (s.policy === "followed" && r?.following) || (s.policy === "follower" && r?.followedBy);
    }).map((n) => n.notificationId);
    if (ids.length === 0) continue;
    await enqueueJob(db, "push", { subscriptionId: s.id, notificationId: ids[ids.length - 1], digest: ids } satisfies PushJob);
    enqueued++;
  }
  return enqueued;
}
