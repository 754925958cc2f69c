// A local group as an ActivityPub `Group` actor (FEP-1b12, activitypub-shapes.md §2.6): its document, its keys
// (named under /groups/{name}, so the key's owner is the group's own IRI), the key pairs it signs with when it
// accepts, invites, removes and relays, and its WebFinger answer (`name@host` and Lemmy's `!name@host`).
import { Temporal } from "@js-temporal/polyfill";
import type { SenderKeyPair } from "@fedify/fedify";
import { CryptographicKey, Endpoints, Group, Image, Multikey } from "@fedify/vocab";
import type { Account } from "../server/domain/accounts/accounts.ts";
import { ensureKeyPairs, loadKeyPairs } from "../server/domain/accounts/keys.ts";
import { findLocalGroupByName, type GroupView } from "../server/domain/groups/groups.ts";
import type { Ctx } from "./context.ts";
import { groupIris, groupKeyId, groupNameOf } from "./uris.ts";

const keyOwner = (account: Account) => `account:${account.id}`;

async function groupKeys(ctx: Ctx, account: Account) {
  await ensureKeyPairs(ctx.data.sql, keyOwner(account)); // made on first use, like imported people's
  return await loadKeyPairs(ctx.data.sql, keyOwner(account), ctx.canonicalOrigin);
}

export async function groupToActor(ctx: Ctx, group: GroupView): Promise<Group> {
  const { account } = group;
  const iris = groupIris(ctx.canonicalOrigin, account.username);
  const keys = await groupKeys(ctx, account);
  const owner = new URL(iris.iri);
  // loadKeyPairs gives the RSA pair first (#main-key, draft-cavage signatures), then Ed25519 (#key-2).
  const rsa = keys.findIndex((k) => k.algorithm === "RSASSA-PKCS1-v1_5");
  return new Group({
    id: owner,
    preferredUsername: account.username,
    name: account.displayName || account.username,
    summary: account.bioHtml || null,
    url: new URL(iris.url),
    inbox: new URL(iris.inbox),
    endpoints: new Endpoints({ sharedInbox: new URL(iris.sharedInbox) }),
    followers: new URL(iris.followers),
    publicKey: rsa < 0 ? null : new CryptographicKey({ id: groupKeyId(iris.iri, rsa), owner, publicKey: keys[rsa].publicKey }),
    assertionMethods: keys.map((k, i) => new Multikey({ id: groupKeyId(iris.iri, i), controller: owner, publicKey: k.publicKey })),
    // A project approves its members (moderators, or an invitation); anyone in the group of companies joins a community.
    manuallyApprovesFollowers: account.locked,
    discoverable: account.discoverable,
    indexable: false,
    icon: account.avatarUrl ? new Image({ url: new URL(account.avatarUrl, ctx.canonicalOrigin) }) : null,
    published: Temporal.Instant.fromEpochMilliseconds(account.createdAt.getTime()) as never,
  });
}

/** The key pairs a local group signs with, or null when `account` is not a local group. */
export async function groupSenderKeys(ctx: Ctx, account: Account | null): Promise<SenderKeyPair[] | null> {
  if (!account || account.domain != null || account.actorType !== "Group") return null;
  const iri = groupIris(ctx.canonicalOrigin, account.username).iri;
  const keys = await groupKeys(ctx, account);
  return keys.map((k, i) => ({ keyId: groupKeyId(iri, i), privateKey: k.privateKey }));
}

/**
 * WebFinger for a local group: `acct:name@host`, `acct:!name@host` (Lemmy's group handle) or the group's URL.
 * Fedify's own WebFinger would name the group by the dispatcher's path (/users/{name}), so groups answer here.
 */
export async function groupWebFinger(ctx: Ctx, resource: string): Promise<Record<string, unknown> | null> {
  const host = new URL(ctx.canonicalOrigin).host.toLowerCase();
  let name: string | null = null;
  const acct = /^acct:!?([^@]+)@(.+)$/.exec(resource);
  if (acct) name = acct[2].toLowerCase() === host ? acct[1].toLowerCase() : null;
  else name = groupNameOf(ctx.canonicalOrigin, resource);
  if (!name) return null;
  const group = await findLocalGroupByName(ctx.data.sql, name);
  if (!group) return null;
  const iris = groupIris(ctx.canonicalOrigin, group.account.username);
  return {
    subject: `acct:${group.account.username}@${host}`,
    aliases: [iris.iri],
    links: [
      { rel: "self", type: "application/activity+json", href: iris.iri },
      { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: iris.url },
    ],
  };
}
