// Turns committed outbox rows into Fedify deliveries. Rows are claimed with SKIP LOCKED so several workers can
// share the table; a row is deleted in the same transaction that handed it to Fedify's queue. A crash between
// the two re-sends the activity, which receivers deduplicate by its id.
import { randomUUID } from "node:crypto";
import type { Federation } from "@fedify/fedify";
import { Accept, Follow, Reject, Undo, type Activity, type Recipient } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { findAccountById } from "../server/domain/accounts/accounts.ts";
import type { OutboxItem } from "../server/domain/outbox.ts";
import type { AppContext, Ctx } from "./context.ts";
import { isProfileJob, runProfileJob } from "./directory-sync.ts";
import { buildPostActivity, isPostOutboxItem } from "./outbox-posts.ts";
import { deliverActorUpdate } from "./profile-delivery.ts";
import { recipientOf, safeRecipients } from "./recipients.ts";

const logger = getLogger(["ruche", "federation", "outbox"]);

async function build(ctx: Ctx, item: OutboxItem): Promise<{ sender: string; recipients: Recipient[]; activity: Activity; key: string } | null> {
  const origin = ctx.canonicalOrigin;
  if (isPostOutboxItem(item)) return await buildPostActivity(ctx, item); // posts, likes, boosts (outbox-posts.ts)
  // Profile updates go out in two variants (profile-delivery.ts), from deliverOutboxBatch.
  if (item.kind === "update-actor" || isProfileJob(item)) return null;
  const follower = await findAccountById(ctx.data.sql, item.followerId);
  const target = await findAccountById(ctx.data.sql, item.targetId);
  if (!follower || !target) return null;
  const follow = new Follow({ id: new URL(item.followIri), actor: new URL(follower.iri), object: new URL(target.iri) });
  switch (item.kind) {
    case "follow":
      return { sender: follower.username, recipients: [recipientOf(target)], activity: follow, key: item.followIri };
    case "undo-follow":
      return {
        sender: follower.username, recipients: [recipientOf(target)], key: item.followIri,
        activity: new Undo({ id: new URL(`/activities/undo/${randomUUID()}`, origin), actor: new URL(follower.iri), object: follow }),
      };
    case "accept-follow":
    case "reject-follow": {
      const Kind = item.kind === "accept-follow" ? Accept : Reject;
      return {
        sender: target.username, recipients: [recipientOf(follower)], key: item.followIri,
        activity: new Kind({ id: new URL(`/activities/${item.kind}/${randomUUID()}`, origin), actor: new URL(target.iri), object: follow }),
      };
    }
  }
}

export async function deliverOutboxBatch(federation: Federation<AppContext>, data: AppContext, limit = 20): Promise<number> {
  const ctx = federation.createContext(new URL(data.config.origin), data);
  return await data.sql.begin(async (tx) => {
    const rows = await tx`SELECT id, payload FROM outbox WHERE available_at <= now() ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    for (const row of rows) {
      try {
        const payload = row.payload as OutboxItem;
        // Profiles (issue #3): directory pulls and profile refreshes fetch rather than send; a profile Update goes
        // out in two variants (internal to siblings, public to others). A savepoint keeps a failed job's SQL error
        // from aborting the rest of the batch.
        if (isProfileJob(payload) || payload.kind === "update-actor") {
          if (payload.kind === "update-actor") await deliverActorUpdate(ctx, payload.accountId);
          else await tx.savepoint((sp) => runProfileJob(ctx, sp, payload));
          await tx`DELETE FROM outbox WHERE id = ${row.id}`;
          continue;
        }
        const built = await build(ctx, payload);
        // Never deliver to private addresses outside test/LAN mode (GHSA-f59r, corpus case 17); an unsafe or
        // unresolvable recipient is dropped on its own, the others still get the activity.
        const recipients = built
          ? (await safeRecipients(built.recipients, { allowPrivateAddress: data.config.allowPrivateAddress })).kept
          : [];
        if (built && recipients.length > 0) {
          await ctx.sendActivity({ identifier: built.sender }, recipients, built.activity, {
            preferSharedInbox: true,
            orderingKey: built.key,
          });
        }
        await tx`DELETE FROM outbox WHERE id = ${row.id}`;
      } catch (e) {
        logger.warn("Outbox item {id} failed: {error}", { id: row.id, error: String(e) });
        await tx`UPDATE outbox SET attempts = attempts + 1, last_error = ${String(e).slice(0, 1000)},
          available_at = now() + least(interval '1 hour', interval '2 seconds' * power(2, attempts)) WHERE id = ${row.id}`;
      }
    }
    return rows.length;
  });
}

/** Runs until the signal aborts: wakes on NOTIFY ruche_outbox, polls every second as a safety net. */
export async function runOutboxWorker(federation: Federation<AppContext>, data: AppContext, signal: AbortSignal): Promise<void> {
  let wake: (() => void) | undefined;
  const sub = await data.sql.listen("ruche_outbox", () => wake?.());
  try {
    while (!signal.aborted) {
      let n = 0;
      try {
        n = await deliverOutboxBatch(federation, data);
      } catch (e) {
        if (!signal.aborted) logger.error("Outbox batch failed: {error}", { error: String(e) });
      }
      if (n > 0) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
        signal.addEventListener("abort", () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    }
  } finally {
    await sub.unlisten().catch(() => {});
  }
}
