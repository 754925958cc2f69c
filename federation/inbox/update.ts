import type { Update } from "@fedify/vocab";
import { findAccountByIri, upsertRemoteAccount } from "../../server/domain/accounts/accounts.ts";
import { type Ctx, INSTANCE_ACTOR } from "../context.ts";
import { actorToRemoteAccount, isActor } from "../mappers/actor.ts";
import { dispatchCreated } from "./create/index.ts";

/**
 * Update(Person): the actor refreshes its own profile. The embedded copy is trusted only when it is the signer's
 * own actor document (same id as the authenticated actor); anything else is ignored (Mastodon's
 * non_matching_uri_hosts?, corpus cases 7 and 8).
 * Update of an object: dispatched by its type like Create (./create/index.ts); a note is an edit of a post.
 */
export async function onUpdate(ctx: Ctx, update: Update): Promise<void> {
  if (!update.actorId || !update.objectId) return;
  if (update.objectId.href !== update.actorId.href) {
    if (update.objectId.origin !== update.actorId.origin) return; // case 8
    const object = await update.getObject({
      crossOrigin: "throw", documentLoader: await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR }), contextLoader: ctx.contextLoader,
    }).catch(() => null);
    await dispatchCreated(ctx, object, update.actorId.href, "update", update.objectId.href);
    return;
  }
  const known = await findAccountByIri(ctx.data.sql, update.actorId.href);
  if (!known || known.domain == null) return;
  const object = await update.getObject({ crossOrigin: "throw", documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
  if (!isActor(object)) return;
  await upsertRemoteAccount(ctx.data.sql, await actorToRemoteAccount(ctx, object, update.actorId.href));
}
