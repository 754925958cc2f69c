// Update(Person) after a profile change, in two variants: siblings (followers on sibling instances, and every
// sibling's instance actor so their directories stay fresh) get the internal profile; every other follower gets the
// public one. Internal fields never leave for a non-sibling server.
import { randomUUID } from "node:crypto";
import { Update } from "@fedify/vocab";
import { findAccountById } from "../server/domain/accounts/accounts.ts";
import { followerIris } from "../server/domain/follows/follows.ts";
import { getProfile } from "../server/domain/profiles/profiles.ts";
import type { Ctx } from "./context.ts";
import { accountToPerson } from "./mappers/actor.ts";
import { recipientOf, safeRecipients } from "./recipients.ts";
import { siblingInstanceRecipient } from "./uris.ts";

const PUBLIC = new URL("https://www.w3.org/ns/activitystreams#Public");

export async function deliverActorUpdate(ctx: Ctx, accountId: string): Promise<void> {
  const account = await findAccountById(ctx.data.sql, accountId);
  if (!account || account.domain != null) return;
  const profile = await getProfile(ctx.data.sql, account.id);
  const followers = (await followerIris(ctx.data.sql, account.id)).filter((f) => !f.isLocal);
  const isSibling = (iri: string) => ctx.data.siblings.isSibling(new URL(iri).origin);
  const siblingRecipients = [
    ...followers.filter((f) => isSibling(f.iri)).map(recipientOf),
    ...ctx.data.siblings.list().filter((o) => o !== ctx.canonicalOrigin).map(siblingInstanceRecipient),
  ];
  const otherRecipients = followers.filter((f) => !isSibling(f.iri)).map(recipientOf);
  const variants = [
    { scope: "internal" as const, recipients: siblingRecipients },
    { scope: "public" as const, recipients: otherRecipients },
  ];
  for (const variant of variants) {
    const { scope } = variant;
    // Never deliver to private addresses outside test/LAN mode (GHSA-f59r, corpus case 17); an unsafe or
    // unresolvable recipient is dropped on its own, the others still get the update.
    const { kept: recipients } = await safeRecipients(variant.recipients, {
      allowPrivateAddress: ctx.data.config.allowPrivateAddress,
    });
    if (recipients.length === 0) continue;
    const person = await accountToPerson(ctx, account, { scope, profile });
    const activity = new Update({
      id: new URL(`/activities/update/${randomUUID()}`, ctx.canonicalOrigin),
      actor: person.id,
      object: person,
      ...(scope === "public"
        ? { to: PUBLIC, cc: ctx.getFollowersUri(account.username) }
        : { to: ctx.getFollowersUri(account.username), ccs: siblingRecipients.map((r) => r.id!) }),
    });
    await ctx.sendActivity({ identifier: account.username }, recipients, activity, { preferSharedInbox: true, orderingKey: account.iri });
  }
}
