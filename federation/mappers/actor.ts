// Domain account ⇄ ActivityPub actor. Incoming actors are validated and sanitised here, so the domain only ever
// stores trusted shapes: http(s) URLs only (corpus case 18), sanitised bio HTML (case 24), bounded strings.
import { Temporal } from "@js-temporal/polyfill";
import { Application, Endpoints, Image, Person, Service, Group, Organization, type Actor } from "@fedify/vocab";
import { type Account, findAccountByIri, handleOf, type RemoteAccountInput } from "../../server/domain/accounts/accounts.ts";
import { htmlToText, sanitizeRemoteHtml } from "../../server/domain/posts/html.ts";
import { EMPTY_PROFILE, type ProfileData } from "../../server/domain/profiles/profile-validation.ts";
import { publishedSchedule } from "../../server/domain/quiet/schedules.ts";
import { type ProfileAudience, visibleProfile } from "../../server/domain/profiles/profile-visibility.ts";
import { getProfile, type StoredProfile } from "../../server/domain/profiles/profiles.ts";
import type { Ctx } from "../context.ts";
import { profileFieldPairs } from "../../server/domain/profiles/profile-fields.ts";
import { readExtension, RUCHE_CONTEXT, toExtension, toHashtags, toPropertyValues } from "./profile-fields.ts";

/**
 * A local account as a Person. `scope` says who will read it: `internal` (a verified sibling) gets every profile
 * field, `public` (anyone else, and the default) only the fields the person made public — internal fields must
 * never reach a non-sibling server.
 */
export async function accountToPerson(ctx: Ctx, account: Account, opts: { scope?: ProfileAudience; profile?: StoredProfile | null } = {}): Promise<Person> {
  const scope = opts.scope ?? "public";
  const stored = opts.profile !== undefined ? opts.profile : await getProfile(ctx.data.sql, account.id);
  const { bioHtml, profile } = visibleProfile(account, stored, scope);
  const person = await basePerson(ctx, account, {
    summary: bioHtml || null,
    ...(profile ? await profileProperties(ctx, profile) : {}),
  });
  // Working hours are for colleagues (issue #15): only in the copy a verified sibling reads.
  const workSchedule = scope === "internal" ? await publishedSchedule(ctx.data.sql, account.id) : null;
  if (!profile && !workSchedule) return person;
  // Fedify's classes know no extension terms. An object parsed from JSON-LD keeps that JSON and serialises to it
  // again, so the extension is added to the compacted document and the Person re-read from it. (Activities are
  // re-compacted when sent and lose the extension: siblings refetch the actor on Update, directory-sync.ts.)
  const json = await person.toJsonLd({ contextLoader: ctx.contextLoader }) as Record<string, unknown>;
  const context = Array.isArray(json["@context"]) ? json["@context"] : [json["@context"]];
  json["@context"] = [...context, RUCHE_CONTEXT, HASHTAG_TERM];
  compactHashtags(json);
  json.rucheProfile = {
    ...toExtension(profile ?? EMPTY_PROFILE, scope, { name: ctx.data.config.instanceName, origin: ctx.canonicalOrigin }),
    ...(workSchedule ? { workSchedule } : {}),
  };
  return await Person.fromJsonLd(json, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
}

// Fedify's actor context lacks the Hashtag term, so expertise tags compacted to `as:Hashtag`, which Mastodon and
// others do not match as a string (issue #8 point 9). Mastodon's actor context defines it the same way.
const HASHTAG_TERM = { Hashtag: "as:Hashtag" } as const;

function compactHashtags(json: Record<string, unknown>): void {
  for (const tag of [json.tag].flat()) {
    if (tag && typeof tag === "object" && (tag as { type?: unknown }).type === "as:Hashtag") (tag as { type: string }).type = "Hashtag";
  }
}

async function profileProperties(ctx: Ctx, profile: ProfileData) {
  const managerAccount = profile.manager ? await findAccountByIri(ctx.data.sql, profile.manager) : null;
  const manager = managerAccount
    ? { url: managerAccount.url ?? managerAccount.iri, handle: handleOf(managerAccount, new URL(ctx.canonicalOrigin).host) }
    : null;
  return {
    attachments: toPropertyValues(profileFieldPairs(ctx.canonicalOrigin, profile, manager)),
    tags: toHashtags(ctx.canonicalOrigin, profile.expertise),
  };
}

async function basePerson(ctx: Ctx, account: Account, extra: Partial<ConstructorParameters<typeof Person>[0]>): Promise<Person> {
  const keys = await ctx.getActorKeyPairs(account.username);
  return new Person({
    id: ctx.getActorUri(account.username),
    preferredUsername: account.username,
    name: account.displayName || account.username,
    url: new URL(`/@${account.username}`, ctx.canonicalOrigin),
    inbox: ctx.getInboxUri(account.username),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    followers: ctx.getFollowersUri(account.username),
    outbox: ctx.getOutboxUri(account.username),
    featured: ctx.getFeaturedUri(account.username),
    following: ctx.getFollowingUri(account.username),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
    manuallyApprovesFollowers: account.locked,
    discoverable: account.discoverable,
    indexable: false,
    icon: account.avatarUrl ? new Image({ url: new URL(account.avatarUrl, ctx.canonicalOrigin), mediaType: guessImageType(account.avatarUrl) }) : null,
    image: account.headerUrl ? new Image({ url: new URL(account.headerUrl, ctx.canonicalOrigin), mediaType: guessImageType(account.headerUrl) }) : null,
    published: Temporal.Instant.fromEpochMilliseconds(account.createdAt.getTime()) as never,
    ...extra,
  });
}

function guessImageType(url: string): string {
  if (/\.png$/i.test(url)) return "image/png";
  if (/\.webp$/i.test(url)) return "image/webp";
  if (/\.gif$/i.test(url)) return "image/gif";
  return "image/jpeg";
}

export function isActor(o: unknown): o is Actor {
  return o instanceof Person || o instanceof Application || o instanceof Service || o instanceof Group || o instanceof Organization;
}

const MAX_NAME = 200, MAX_BIO = 20_000;

function httpUrl(u: URL | null | undefined): string | null {
  if (!u) return null;
  return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
}

/**
 * Who a remote actor document was made for (issue #8 point 26). A sibling gives us its internal profile — to our
 * signed fetches and in the Updates it sends siblings — unless its extension says the copy is public; anyone else's
 * document is what it shows the world. Its bio (and fields, upsertRemoteProfile) are then shown to that audience only.
 */
async function audienceOfActor(ctx: Ctx, actor: Actor): Promise<ProfileAudience> {
  if (!actor.id || !ctx.data.siblings.isSibling(actor.id.origin)) return "public";
  // A parsed object serialises back to the JSON it was read from, extension included.
  const ext = readExtension(await actor.toJsonLd({ contextLoader: ctx.contextLoader }).catch(() => null));
  return ext?.scope ?? "internal";
}

/**
 * Turns a fetched or received actor into domain input. `expectedIri` is the IRI we asked for or that signed the
 * activity: an actor document claiming another id is refused (CVE-2024-23832, corpus case 4).
 */
export async function actorToRemoteAccount(ctx: Ctx, actor: Actor, expectedIri: string): Promise<RemoteAccountInput> {
  if (!actor.id || actor.id.href !== expectedIri) {
    throw new Error(`actor document id ${actor.id?.href} does not match ${expectedIri}`);
  }
  const origin = actor.id;
  const sameOrigin = (u: URL | null | undefined) => (u && u.origin === origin.origin ? httpUrl(u) : null);
  const username = (actor.preferredUsername?.toString() ?? "").trim();
  if (!/^[\p{L}\p{N}_.-]{1,64}$/u.test(username)) throw new Error(`invalid preferredUsername "${username.slice(0, 70)}"`);
  const opts = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, suppressError: true };
  let avatarUrl: string | null = null, headerUrl: string | null = null;
  const icon = await actor.getIcon(opts);
  if (icon?.url instanceof URL) avatarUrl = httpUrl(icon.url);
  const image = await actor.getImage(opts);
  if (image?.url instanceof URL) headerUrl = httpUrl(image.url);
  const url = actor.url instanceof URL ? httpUrl(actor.url) : null;
  const summary = actor.summary?.toString() ?? "";
  return {
    bioAudience: await audienceOfActor(ctx, actor),
    iri: actor.id.href,
    username,
    domain: actor.id.host,
    actorType: actor.constructor.name,
    // Inboxes and collections must live on the actor's own origin: a document may not route our deliveries elsewhere.
    inboxUrl: sameOrigin(actor.inboxId),
    sharedInboxUrl: sameOrigin(actor.endpoints?.sharedInbox),
    followersUrl: sameOrigin(actor.followersId),
    followingUrl: sameOrigin(actor.followingId),
    url,
    displayName: htmlToText(actor.name?.toString() ?? "").slice(0, MAX_NAME),
    bioHtml: sanitizeRemoteHtml(summary.slice(0, MAX_BIO)),
    avatarUrl,
    headerUrl,
    locked: actor.manuallyApprovesFollowers ?? false,
    discoverable: actor.discoverable ?? false,
    followersCount: null,
    followingCount: null,
  };
}
