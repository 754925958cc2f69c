// Update(Person) after a profile change, in two variants: siblings (followers on sibling instances, and every
// sibling's instance actor so their directories stay fresh) get the internal profile; every other follower gets the
// public one. Internal fields never leave for a non-sibling server.
import { randomUUID } from "node:crypto";
import { Update, type Recipient } from "@fedify/vocab";
import { findAccountById } from "../server/domain/accounts/accounts.ts";
import { followerIris } from "../server/domain/follows/follows.ts";
import { getProfile } from "../server/domain/profiles/profiles.ts";
import { type Ctx, INSTANCE_ACTOR } from "./context.ts";
import { accountToPerson } from "./mappers/actor.ts";
import { assertSafeUrl } from "./url-guard.ts";

const PUBLIC = new URL("https://www.w3.org/ns/activitystreams#Public");

function siblingInstanceActor(origin: string): Recipient {
  // Siblings are Ruche instances: their instance actor and shared inbox sit at known paths.
  return {
    id: new URL(`/users/${INSTANCE_ACTOR}`, origin),
    inboxId: new URL(`/users/${INSTANCE_ACTOR}/inbox`, origin),
    endpoints: { sharedInbox: new URL("/inbox", origin) },
  };
}

export async function deliverActorUpdate(ctx: Ctx, accountId: string): Promise<void> {
  const account = await findAccountById(ctx.data.sql, accountId);
  if (!account || account.domain != null) return;
  const profile = await getProfile(ctx.data.sql, account.id);
  const followers = (await followerIris(ctx.data.sql, account.id)).filter((f) => !f.isLocal);
  const toRecipient = (f: (typeof followers)[number]): Recipient => ({
    id: new URL(f.iri),
    inboxId: f.inboxUrl ? new URL(f.inboxUrl) : null,
    endpoints: f.sharedInboxUrl ? { sharedInbox: new URL(f.sharedInboxUrl) } : null,
  });
  const isSibling = (iri: string) => ctx.data.siblings.isSibling(new URL(iri).origin);
  const siblingRecipients = [
    ...followers.filter((f) => isSibling(f.iri)).map(toRecipient),
    ...ctx.data.siblings.list().filter((o) => o !== ctx.canonicalOrigin).map(siblingInstanceActor),
  ];
  const otherRecipients = followers.filter((f) => !isSibling(f.iri)).map(toRecipient);
  if (!ctx.data.config.allowPrivateAddress) {
    // Never deliver to private addresses outside test/LAN mode (GHSA-f59r, corpus case 17).
    for (const r of [...siblingRecipients, ...otherRecipients]) {
      const inbox = r.endpoints?.sharedInbox ?? r.inboxId;
      if (inbox) await assertSafeUrl(inbox, { allowPrivateAddress: false });
    }
  }
  const variants = [
    { scope: "internal" as const, recipients: siblingRecipients },
    { scope: "public" as const, recipients: otherRecipients },
  ];
  for (const { scope, recipients } of variants) {
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
