// Federation's job handlers: what the domain queued (server/domain/outbox.ts) becomes activities handed to Fedify's
// queue, signed fetches of siblings' profiles and directory pages (directory-sync.ts), and profile Updates.
import { runAnalyticsJob } from "./analytics-exchange.ts";
import type { Federation } from "@fedify/fedify";
import { Accept, Block, Follow, Reject, Undo } from "@fedify/vocab";
import { findAccountById } from "../server/domain/accounts/accounts.ts";
import type { DeliveryItem, OutboxItem } from "../server/domain/outbox.ts";
import type { JobHandlers } from "../server/jobs/runner.ts";
import type { AppContext, Ctx } from "./context.ts";
import { runProfileJob } from "./directory-sync.ts";
import { fetchInstanceName } from "./instance-info.ts";
import { buildAccountExport, expireAccountExport } from "./account-export.ts";
import { type Built, buildPostActivity, isPostOutboxItem } from "./outbox-posts.ts";
import { buildGroupActivity, isGroupOutboxItem } from "./outbox-groups.ts";
import { buildArticleActivity, isArticleOutboxItem } from "./outbox-articles.ts";
import { groupSenderKeys } from "./group-actor.ts";
import { deliverActorUpdate } from "./profile-delivery.ts";
import { recipientOf, safeRecipients } from "./recipients.ts";
import { derivedActivityId } from "./uris.ts";
import { buildTallyUpdate, buildVote } from "./polls.ts";
import { buildFlag } from "./moderation.ts";
import { buildActorDelete } from "./account-deletion.ts";
import { eraseAccount, purgeAccount } from "../server/domain/accounts/deletion.ts";
import { closePoll } from "../server/domain/polls/polls.ts";
import { REMINDERS_EVERY_MS, sendDueReminders } from "../server/domain/events/notices.ts";
import { currentClock } from "../server/clock.ts";
import { enqueueJob } from "../server/jobs/enqueue.ts";
import { buildEventActivity, buildEventUpdate, isEventOutboxItem } from "./events.ts";


async function build(ctx: Ctx, item: DeliveryItem): Promise<Built | null> {
  const origin = ctx.canonicalOrigin;
  if (isPostOutboxItem(item)) return await buildPostActivity(ctx, item); // posts, likes, boosts (outbox-posts.ts)
  if (isGroupOutboxItem(item)) return await buildGroupActivity(ctx, item); // groups' invites, removals, relays
  if (isArticleOutboxItem(item)) return await buildArticleActivity(ctx, item); // knowledge-base articles (issue #14)
  if (item.kind === "block" || item.kind === "undo-block") return await blockActivity(ctx, item);
  if (item.kind === "poll-vote") return await buildVote(ctx, item.voteId); // polls.ts
  if (item.kind === "flag") return await buildFlag(ctx, item.reportId); // moderation.ts
  if (item.kind === "delete-actor") return buildActorDelete(ctx, item); // account-deletion.ts
  if (isEventOutboxItem(item)) return await buildEventActivity(ctx, item); // events' Join, Leave, Accept, Reject
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
        activity: new Undo({ id: derivedActivityId(origin, "undo", item.followIri), actor: new URL(follower.iri), object: follow }),
      };
    case "accept-follow":
    case "reject-follow": {
      const Kind = item.kind === "accept-follow" ? Accept : Reject;
      return {
        // A group answers a request to join in its own name (group-actor.ts).
        sender: target.username, groupSender: target.actorType === "Group" ? target : undefined, recipients: [recipientOf(follower)], key: item.followIri,
        activity: new Kind({ id: derivedActivityId(origin, item.kind, item.followIri), actor: new URL(target.iri), object: follow }),
      };
    }
  }
}

/** Block / Undo(Block), to the blocked person's own inbox only (their followers need not know). */
async function blockActivity(ctx: Ctx, item: Extract<DeliveryItem, { kind: "block" | "undo-block" }>) {
  const [blocker, target] = await Promise.all([findAccountById(ctx.data.sql, item.accountId), findAccountById(ctx.data.sql, item.targetId)]);
  if (!blocker || blocker.domain != null || !target || target.domain == null) return null;
  const block = new Block({ id: new URL(item.blockIri), actor: new URL(blocker.iri), object: new URL(target.iri), to: new URL(target.iri) });
  const activity = item.kind === "block" ? block : new Undo({
    id: derivedActivityId(ctx.canonicalOrigin, "undo", item.blockIri), actor: new URL(blocker.iri), object: block, to: new URL(target.iri),
  });
  return { sender: blocker.username, recipients: [recipientOf(target)], activity, key: item.blockIri };
}

/**
 * The handlers of federation's job queues (server/jobs/queues.ts); Web Push's is server/push/deliver.ts, quiet time's
 * server/quiet/jobs.ts, WebTV's transcoding server/domain/videos/transcode.ts. None holds a transaction across
 * network I/O.
 */
export function jobHandlers(federation: Federation<AppContext>, data: AppContext): Omit<JobHandlers, "push" | "quiet-release" | "scheduled-status" | "video-transcode"> {
  const ctx = () => federation.createContext(new URL(data.config.origin), data);
  return {
    deliver: (item: DeliveryItem) => deliver(ctx(), item),
    "actor-update": (item: Extract<OutboxItem, { kind: "update-actor" }>) => deliverActorUpdate(ctx(), item.accountId),
    "profile-refresh": (item: Extract<OutboxItem, { kind: "refresh-profile" }>) => runProfileJob(ctx(), item),
    "directory-pull": (item: Extract<OutboxItem, { kind: "pull-directory" }>) => runProfileJob(ctx(), item),
    "instance-info": (item: Extract<OutboxItem, { kind: "fetch-instance-name" }>) => fetchInstanceName(ctx(), item.origin),
    "account-export": (item: { exportId: string }) => buildAccountExport(ctx(), item.exportId),
    "account-export-expire": (item: { exportId: string }) => expireAccountExport(ctx(), item.exportId),
    "account-delete": async (item: { accountId: string; dueAt: string }) => void (await eraseAccount(data.sql, data.config.dataDir, item.accountId, item.dueAt)),
    "account-purge": async (item: { accountId: string }) => void (await purgeAccount(data.sql, item.accountId)),
    analytics: () => runAnalyticsJob(ctx()),
    "poll-close": async (item: { postId: string }) => void (await closePoll(data.sql, item.postId)),
    "poll-tally": async (item: { postId: string }) => {
      const c = ctx();
      await send(c, await buildTallyUpdate(c, item.postId));
    },
    "event-counts": async (item: { postId: string }) => {
      const c = ctx();
      await send(c, await buildEventUpdate(c, item.postId));
    },
    "event-reminders": async () => {
      await sendDueReminders(data.sql, currentClock().now());
      await enqueueJob(data.sql, "event-reminders", {}, { key: "event-reminders", delayMs: REMINDERS_EVERY_MS });
    },
  };
}

/**
 * Builds the activity from the database and hands it to Fedify's queue, which signs and sends it per inbox with
 * its own retries. A crash after the hand-off re-runs the job: the activity keeps its id, receivers deduplicate.
 */
async function deliver(ctx: Ctx, item: DeliveryItem): Promise<void> {
  await send(ctx, await build(ctx, item));
}

async function send(ctx: Ctx, built: Awaited<ReturnType<typeof build>>): Promise<void> {
  if (!built) return;
  // Never deliver to private addresses outside test/LAN mode (GHSA-f59r, corpus case 17); an unsafe or
  // unresolvable recipient is dropped on its own, the others still get the activity.
  const { kept } = await safeRecipients(built.recipients, { allowPrivateAddress: ctx.data.config.allowPrivateAddress });
  if (kept.length === 0) return;
  const sender = (await groupSenderKeys(ctx, built.groupSender ?? null)) ?? { identifier: built.sender };
  await ctx.sendActivity(sender, kept, built.activity, { preferSharedInbox: true, orderingKey: built.key });
}
