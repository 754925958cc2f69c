// Reports across servers as Mastodon sends them (issue #15 point 5): a Flag signed by the reporting server's
// instance actor, naming nobody, whose objects are the reported account and its reported posts, whose content is the
// reporter's comment. We send ours to the reported person's server (server/domain/moderation/reports.ts decides
// when) and take siblings' Flags about our people into our moderators' queue.
import { Flag } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { findAccountById, findLocalUser } from "../server/domain/accounts/accounts.ts";
import { getReport, receiveFlag } from "../server/domain/moderation/reports.ts";
import type { Ctx } from "./context.ts";
import { localPostId } from "./inbox/like.ts";
import type { Built } from "./outbox-posts.ts";
import { recipientOf } from "./recipients.ts";
import { INSTANCE_ACTOR, instanceActorIri } from "./uris.ts";

const logger = getLogger(["ruche", "federation", "moderation"]);

/** The Flag of one of our reports about a remote person, to their server's inbox. */
export async function buildFlag(ctx: Ctx, reportId: string): Promise<Built | null> {
  const report = await getReport(ctx.data.sql, reportId);
  if (!report || !report.forwarded || report.target.domain == null) return null;
  const target = await findAccountById(ctx.data.sql, report.target.id);
  if (!target) return null;
  const flag = new Flag({
    id: new URL(report.iri),
    actor: instanceActorIri(ctx.canonicalOrigin),
    objects: [new URL(target.iri), ...report.posts.map((p) => new URL(p.iri))],
    content: report.comment,
    to: new URL(target.iri),
  });
  return { sender: INSTANCE_ACTOR, recipients: [recipientOf(target)], activity: flag, key: `report:${report.id}` };
}

/**
 * A Flag received. Taken only from a sibling (a server outside the group does not fill our moderators' queue), and
 * only when every object it names is ours: one of our people and, optionally, posts of that person. A Flag naming
 * another server's objects, or posts of someone else, is refused whole — nothing stored — and logged.
 */
export async function onFlag(ctx: Ctx, flag: Flag): Promise<void> {
  const actor = flag.actorId;
  if (!flag.id || !actor) return void logger.warn("Flag without id or actor refused");
  if (flag.id.origin !== actor.origin) {
    return void logger.warn("Flag {flag} refused: its id is not on its actor's server {actor}", { flag: flag.id.href, actor: actor.href });
  }
  if (!ctx.data.siblings.isSibling(actor.origin)) {
    return void logger.warn("Flag {flag} from {origin} refused: not a sibling instance", { flag: flag.id.href, origin: actor.origin });
  }
  let targetId: string | null = null;
  const postIds: string[] = [];
  for (const object of flag.objectIds) {
    const postId = localPostId(ctx, object);
    if (postId) {
      postIds.push(postId);
      continue;
    }
    const parsed = ctx.parseUri(object);
    const user = parsed?.type === "actor" ? await findLocalUser(ctx.data.sql, parsed.identifier) : null;
    if (!user || (targetId && targetId !== user.account.id)) {
      return void logger.warn("Flag {flag} refused: it names {object}, which is not one person of ours or their post", { flag: flag.id.href, object: object.href });
    }
    targetId = user.account.id;
  }
  const posts = postIds.length === 0 ? [] : await ctx.data.sql`SELECT id::text, iri, account_id::text FROM posts WHERE id IN ${ctx.data.sql(postIds)} AND local`;
  if (posts.length !== postIds.length) return void logger.warn("Flag {flag} refused: it names posts we do not have", { flag: flag.id.href });
  // Mastodon sends only statuses when the account is implied; their author is then the reported person.
  targetId ??= (posts[0]?.account_id as string | undefined) ?? null;
  if (!targetId || posts.some((p) => p.account_id !== targetId)) {
    return void logger.warn("Flag {flag} refused: it names no person of ours, or posts of someone else", { flag: flag.id.href });
  }
  const comment = flag.content?.toString() ?? "";
  const stored = await receiveFlag(ctx.data.sql, {
    iri: flag.id.href, originDomain: new URL(actor.href).host, targetId, postIris: posts.map((p) => p.iri as string), comment,
  });
  logger.info("Flag {flag} from {origin} about account {target}: {outcome}", {
    flag: flag.id.href, origin: actor.origin, target: targetId, outcome: stored ? "in the moderation queue" : "already received",
  });
}
