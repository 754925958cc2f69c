import type { Block } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { findLocalUser } from "../../server/domain/accounts/accounts.ts";
import { receiveBlock } from "../../server/domain/blocks/blocks.ts";
import type { Ctx } from "../context.ts";
import { resolveActorByIri } from "../remote-actors.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

/**
 * A remote person blocks one of ours (issue #8 point 14): the block is recorded, follows end both ways, and from
 * then on the audience rule keeps them apart (no posts shown either way, no notifications, no deliveries to them).
 * Only the actor the guards authenticated can block, and only in its own name (Fedify checked actor = signer).
 */
export async function onBlock(ctx: Ctx, block: Block): Promise<void> {
  if (!block.id || !block.actorId || !block.objectId) return;
  const parsed = ctx.parseUri(block.objectId);
  if (parsed?.type !== "actor") return;
  const target = await findLocalUser(ctx.data.sql, parsed.identifier);
  if (!target) return;
  const blocker = await resolveActorByIri(ctx, block.actorId.href, { maxAgeMs: 86_400_000 });
  if (!blocker || blocker.domain == null) return;
  await receiveBlock(ctx.data.sql, { iri: block.id.href, accountId: blocker.id, targetId: target.account.id });
  logger.info("Block {block} from {blocker} of {target}", { block: block.id.href, blocker: blocker.iri, target: target.account.username });
}
