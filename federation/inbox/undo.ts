import { Announce, Block, Follow, Like, type Undo } from "@fedify/vocab";
import { findAccountByIri } from "../../server/domain/accounts/accounts.ts";
import { undoneByRemote } from "../../server/domain/follows/follows.ts";
import { receiveUndoBlock } from "../../server/domain/blocks/blocks.ts";
import { receiveUndoAnnounce, receiveUndoLike } from "../../server/domain/posts/interactions.ts";
import { atomically } from "../../server/db/pool.ts";
import type { Ctx } from "../context.ts";
import { localPostId } from "./like.ts";

/**
 * Undo(Follow), Undo(Like), Undo(Announce), Undo(Block): only the actor who did it can undo it (the actor was authenticated by
 * the guards, and each domain function matches the stored row's account).
 */
export async function onUndo(ctx: Ctx, undo: Undo): Promise<void> {
  if (!undo.actorId) return;
  const object = await undo.getObject({ crossOrigin: "ignore", documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, suppressError: true }).catch(() => null);
  if (object instanceof Like || object instanceof Announce) {
    if (object.actorId && object.actorId.href !== undo.actorId.href) return;
    const actor = await findAccountByIri(ctx.data.sql, undo.actorId.href);
    if (!actor || actor.domain == null) return;
    if (object instanceof Announce) {
      if (object.id) await receiveUndoAnnounce(ctx.data.sql, actor.id, object.id.href);
      return;
    }
    // Some servers undo a Like they re-created with a new id: fall back to (actor, post) — in the same transaction.
    const postId = localPostId(ctx, object.objectId);
    await atomically(ctx.data.sql, async (tx) => {
      const done = object.id ? await receiveUndoLike(tx, actor.id, object.id.href, null) : false;
      if (!done && postId) await receiveUndoLike(tx, actor.id, null, postId);
    });
    return;
  }
  if (object instanceof Block) {
    if (object.actorId && object.actorId.href !== undo.actorId.href) return;
    const blocker = await findAccountByIri(ctx.data.sql, undo.actorId.href);
    if (!blocker || blocker.domain == null) return;
    await atomically(ctx.data.sql, async (tx) => {
      const done = object.id ? await receiveUndoBlock(tx, blocker.id, object.id.href, null) : false;
      const target = !done && object.objectId ? await findAccountByIri(tx, object.objectId.href) : null;
      if (target) await receiveUndoBlock(tx, blocker.id, null, target.id);
    });
    return;
  }
  if (!(object instanceof Follow)) return;
  const follower = await findAccountByIri(ctx.data.sql, undo.actorId.href);
  if (!follower || follower.domain == null) return;
  if (object.actorId && object.actorId.href !== undo.actorId.href) return;
  let targetId: string | null = null;
  if (object.objectId) targetId = (await findAccountByIri(ctx.data.sql, object.objectId.href))?.id ?? null;
  await atomically(ctx.data.sql, async (tx) => {
    await undoneByRemote(tx, object.id?.href ?? null, follower.id, targetId);
    // Some servers undo with a fresh Follow id: fall back to the pair.
    if (object.id && targetId) await undoneByRemote(tx, null, follower.id, targetId);
  });
}
