import type { Delete } from "@fedify/vocab";
import { findAccountByIri } from "../../server/domain/accounts/accounts.ts";
import { deleteRemotePost } from "../../server/domain/posts/posts-remote.ts";
import type { Ctx } from "../context.ts";
import { onActorDelete } from "../account-deletion.ts";

/**
 * Delete(Note): only the author's own object on its own origin is removed (case 9: a Delete of someone else's
 * post is ignored); an unknown IRI is tombstoned so a late Create is dropped (out-of-order delivery).
 * A Delete of the actor itself is the account's deletion (account-deletion.ts).
 */
export async function onDelete(ctx: Ctx, del: Delete): Promise<void> {
  if (!del.actorId || !del.objectId) return;
  if (del.objectId.href === del.actorId.href) return await onActorDelete(ctx, del);
  const author = await findAccountByIri(ctx.data.sql, del.actorId.href);
  if (!author || author.domain == null) return;
  await deleteRemotePost(ctx.data.sql, del.objectId.href, author.id, del.actorId.origin);
}
