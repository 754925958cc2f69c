// Account deletion over federation (issue #16 point 3): the Delete(Person) of one of our people, signed with their
// own key (their erased account still serves it for a week), to the servers that had their content and to every
// sibling; and a remote person's Delete(Person), which removes everything we stored of them.
import { Delete, PUBLIC_COLLECTION } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { removeRemoteAccount } from "../server/domain/accounts/deletion.ts";
import type { DeliveryItem } from "../server/domain/outbox.ts";
import type { Ctx } from "./context.ts";
import type { Built } from "./outbox-posts.ts";
import { recipientOf } from "./recipients.ts";
import { siblingInstanceRecipient } from "./uris.ts";

const logger = getLogger(["ruche", "federation", "accounts"]);

export function buildActorDelete(ctx: Ctx, item: Extract<DeliveryItem, { kind: "delete-actor" }>): Built {
  const actor = new URL(item.iri);
  const activity = new Delete({ id: new URL(`${item.iri}#delete`), actor, object: actor, to: PUBLIC_COLLECTION });
  const recipients = [...item.recipients.map(recipientOf), ...ctx.data.siblings.list().map(siblingInstanceRecipient)];
  return { sender: item.username, recipients, activity, key: `actor:${item.accountId}` };
}

/**
 * Delete whose object is its own actor: that person's server deleted them. Only the actor itself can say so (the
 * guards checked that it signed); what we stored of them goes, and their IRI is tombstoned.
 */
export async function onActorDelete(ctx: Ctx, del: Delete): Promise<void> {
  const iri = del.actorId!.href;
  const removed = await removeRemoteAccount(ctx.data.sql, iri);
  logger.info("Delete of actor {actor}: {outcome}", { actor: iri, outcome: removed ? "account and content removed" : "unknown here, tombstoned" });
}
