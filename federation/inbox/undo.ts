import { Follow, type Undo } from "@fedify/vocab";
import { findAccountByIri } from "../../server/domain/accounts.ts";
import { undoneByRemote } from "../../server/domain/follows.ts";
import type { Ctx } from "../context.ts";

/** Undo(Follow): only the follower itself can undo its follow (the actor was authenticated by the guards). */
export async function onUndo(ctx: Ctx, undo: Undo): Promise<void> {
  if (!undo.actorId) return;
  const object = await undo.getObject({ crossOrigin: "ignore", documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, suppressError: true }).catch(() => null);
  if (!(object instanceof Follow)) return;
  const follower = await findAccountByIri(ctx.data.sql, undo.actorId.href);
  if (!follower || follower.domain == null) return;
  if (object.actorId && object.actorId.href !== undo.actorId.href) return;
  let targetId: string | null = null;
  if (object.objectId) targetId = (await findAccountByIri(ctx.data.sql, object.objectId.href))?.id ?? null;
  await undoneByRemote(ctx.data.sql, object.id?.href ?? null, follower.id, targetId);
  // Some servers undo with a fresh Follow id: fall back to the pair.
  if (object.id && targetId) await undoneByRemote(ctx.data.sql, null, follower.id, targetId);
}
