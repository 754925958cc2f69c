// Registers every dispatcher and listener on one Fedify instance before it is used (a builder function, no
// registration by import side effects). Everything the handlers need travels in the context data.
import { createExponentialBackoffPolicy, createFederation, type Federation, type KvStore, type MessageQueue } from "@fedify/fedify";
import { Accept, Announce, Application, Block, Create, Delete, Endpoints, Flag, Follow, Invite, Join, Leave, Like, Reject, Remove, TentativeAccept, Undo, Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Config } from "../server/config.ts";
import type { Sql } from "../server/db/pool.ts";
import { findLocalUser } from "../server/domain/accounts/accounts.ts";
import { instanceStats } from "../server/domain/accounts/stats.ts";
import { followCounts, followerIris, followingIris } from "../server/domain/follows/follows.ts";
import { ensureKeyPairs, loadKeyPairs } from "../server/domain/accounts/keys.ts";
import { type AppContext, type Ctx, INSTANCE_ACTOR } from "./context.ts";
import { createAuthenticatedDocumentLoaderFactory, createContextLoader, createDocumentLoader } from "./document-loader.ts";
import { onAccept, onReject, onTentativeAccept } from "./inbox/accept-reject.ts";
import { onFollow } from "./inbox/follow.ts";
import { onBlock } from "./inbox/block.ts";
import { onUndo } from "./inbox/undo.ts";
import { onAnnounce } from "./inbox/announce.ts";
import { onCreate } from "./inbox/create/index.ts";
import { onDelete } from "./inbox/delete.ts";
import { onLike } from "./inbox/like.ts";
import { registerPostDispatchers } from "./collections/posts.ts";
import { onUpdate } from "./inbox/update.ts";
import { onInvite, onRemove } from "./inbox/group.ts";
import { onFlag } from "./moderation.ts";
import { onJoin, onLeave } from "./inbox/event-participation.ts";
import { groupToActor } from "./group-actor.ts";
import { findLocalGroupByName } from "../server/domain/groups/groups.ts";
import { accountToPerson } from "./mappers/actor.ts";
import { requestScope } from "./mappers/profile-scope.ts";
import { registerDirectoryFeed, withProfileRefresh } from "./directory-sync.ts";

const logger = getLogger(["ruche", "federation"]);
export const VERSION = "0.1.0";

export function buildFederation(opts: { config: Config; kv: KvStore; queue: MessageQueue }): Federation<AppContext> {
  const { config } = opts;
  const loaderOpts = { allowPrivateAddress: config.allowPrivateAddress, userAgent: `Ruche/${VERSION} (+${config.origin})` };
  const federation = createFederation<AppContext>({
    kv: opts.kv,
    queue: opts.queue,
    manuallyStartQueue: true,
    origin: config.origin,
    // allowPrivateAddress and userAgent live in our own loaders (Fedify refuses both with a loader factory).
    documentLoaderFactory: () => createDocumentLoader(loaderOpts),
    contextLoaderFactory: () => createContextLoader(),
    authenticatedDocumentLoaderFactory: createAuthenticatedDocumentLoaderFactory(loaderOpts),
    // Mastodon and most servers speak draft-cavage; knocking with it first saves a round trip per delivery.
    firstKnock: "draft-cavage-http-signatures-12",
    // Every inbox POST has passed federation/guards/inbox-guard.ts, which verified its HTTP signature with a key
    // whose ownership it confirmed from the actor's own document (Fedify 2.3.6's own check trusts a key's `owner`
    // and skips HTTP signatures when an LD signature verifies: ADR 0003). Verifying a second time cost ~1 ms of
    // CPU per activity (bench/inbox.ts). This affects inbox deliveries only; signed GETs are still verified.
    skipSignatureVerification: true,
    signatureTimeWindow: { hours: 1 },
    // A server that keeps failing is not hammered: after 5 failures in 10 minutes its deliveries are held, and a
    // probe goes every 20 s (Fedify's default is 30 minutes). A sibling back from maintenance gets its backlog
    // within about a minute; one failing for a week loses what is held. Retries back off to at most a minute, so a
    // long outage does not leave the first activities waiting hours after the server is back.
    circuitBreaker: {
      recoveryDelay: { seconds: 20 },
      onStateChange: (host, from, to) => logger.info("Delivery circuit for {host}: {from} → {to}", { host, from, to }),
    },
    outboxRetryPolicy: createExponentialBackoffPolicy({ initialDelay: { seconds: 2 }, maxDelay: { minutes: 1 }, maxAttempts: 30 }),
  });

  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (identifier === INSTANCE_ACTOR) return instanceActor(ctx);
      const user = await servedUser(ctx.data.sql, identifier);
      if (!user) {
        // A group shares people's handle space; its documents live at /groups/{name} (uris.ts, hono.ts).
        const group = await findLocalGroupByName(ctx.data.sql, identifier);
        return group && group.account.username === identifier ? await groupToActor(ctx, group) : null;
      }
      // Internal profile fields only for a verified sibling's signed fetch (issue #3).
      return await accountToPerson(ctx, user.account, { scope: await requestScope(ctx) });
    })
    .setKeyPairsDispatcher(async (ctx, identifier) => {
      let owner = "instance";
      if (identifier !== INSTANCE_ACTOR) {
        const account = await localActor(ctx, identifier);
        if (!account) return [];
        owner = `account:${account.id}`;
        await ensureKeyPairs(ctx.data.sql, owner); // imported accounts get their keys on first use
      }
      const pairs = await loadKeyPairs(ctx.data.sql, owner, ctx.data.config.origin);
      return pairs.map((p) => ({ privateKey: p.privateKey, publicKey: p.publicKey }));
    })
    .mapHandle(async (ctx, username) => {
      if (username === INSTANCE_ACTOR || username === new URL(ctx.canonicalOrigin).hostname) return INSTANCE_ACTOR;
      const user = await findLocalUser(ctx.data.sql, username);
      return user && !user.disabled ? user.account.username : null;
    })
    // WebFinger by profile page (`resource=https://<origin>/@alice`, what people paste); the actor URL itself is
    // resolved by Fedify already. The username then goes through mapHandle above.
    .mapAlias((ctx, resource) => {
      if (resource.origin !== new URL(ctx.canonicalOrigin).origin) return null;
      const m = /^\/@([^/@]+)\/?$/.exec(resource.pathname);
      return m ? { username: m[1] } : null;
    });

  // Collections are not public: a signed fetch by an allowed peer is required (401 unsigned; the sibling guard
  // answers 403 to outsiders before we get here).
  const authorizeSigned = async (ctx: Ctx & { getSignedKey(): Promise<{ id: URL | null; ownerId: URL | null } | null> }) => {
    const key = await ctx.getSignedKey();
    if (!key?.id || !key.ownerId) return false;
    if (!ctx.data.siblings.allows(key.id.origin)) return false;
    return await ctx.data.keyOwners.owns(key.ownerId.href, key.id.href);
  };

  federation
    .setFollowersDispatcher("/users/{identifier}/followers", async (ctx, identifier, cursor) => {
      // A group's followers are its members (FEP-1b12).
      const account = await localActor(ctx, identifier);
      if (!account) return null;
      // Without a cursor, return everyone: Fedify's sendActivity("followers") relies on it.
      if (cursor != null) return null;
      const items = await followerIris(ctx.data.sql, account.id);
      return {
        items: items.map((f) => ({
          id: new URL(f.iri),
          inboxId: f.inboxUrl ? new URL(f.inboxUrl) : null,
          endpoints: f.sharedInboxUrl ? { sharedInbox: new URL(f.sharedInboxUrl) } : null,
        })),
      };
    })
    .setCounter(async (ctx, identifier) => {
      const account = await localActor(ctx, identifier);
      return account ? (await followCounts(ctx.data.sql, account.id)).followers : null;
    })
    .authorize(authorizeSigned);

  federation
    .setFollowingDispatcher("/users/{identifier}/following", async (ctx, identifier, cursor) => {
      const user = await findLocalUser(ctx.data.sql, identifier);
      if (!user) return null;
      if (cursor != null) return null;
      return { items: (await followingIris(ctx.data.sql, user.account.id)).map((i) => new URL(i)) };
    })
    .setCounter(async (ctx, identifier) => {
      const user = await findLocalUser(ctx.data.sql, identifier);
      return user ? (await followCounts(ctx.data.sql, user.account.id)).following : null;
    })
    .authorize(authorizeSigned);

  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .setSharedKeyDispatcher(() => ({ identifier: INSTANCE_ACTOR }))
    .withIdempotency("per-inbox")
    .on(Follow, onFollow)
    .on(Accept, onAccept)
    .on(Reject, onReject)
    .on(Undo, onUndo)
    .on(Update, withProfileRefresh(onUpdate))
    .on(Create, onCreate)
    .on(Delete, onDelete)
    .on(Like, onLike)
    .on(Announce, onAnnounce)
    .on(Block, onBlock)
    .on(Invite, onInvite)
    .on(Remove, onRemove)
    .on(Flag, onFlag)
    .on(Join, async (ctx, join) => void (await onJoin(ctx, join))) // events (issue #12)
    .on(Leave, onLeave)
    .on(TentativeAccept, onTentativeAccept) // Friendica's "maybe" to an event
    .onError((_ctx, error) => {
      logger.error("Inbox listener failed: {error}", { error });
    });

  registerDirectoryFeed(federation);
  registerPostDispatchers(federation); // /ap/note/{id}, outbox, featured (issue #4)

  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    // The same figures as the Mastodon API's instance documents (one function computes them).
    const stats = await instanceStats(ctx.data.sql);
    return {
      // No `homepage`: Ruche has no public home page or repository yet, and NodeInfo makes the field optional.
      software: { name: "ruche", version: VERSION },
      protocols: ["activitypub"],
      openRegistrations: false,
      usage: {
        users: { total: stats.users, activeMonth: stats.activeMonth, activeHalfyear: stats.activeHalfyear },
        localPosts: stats.localPosts,
        localComments: stats.localComments,
      },
      metadata: { nodeName: ctx.data.config.instanceName, federation: ctx.data.config.federation },
    };
  });

  return federation;
}

/** The local person or group a Fedify identifier names (a group's name is a handle no person has). */
async function localActor(ctx: Ctx, identifier: string) {
  return (await findLocalUser(ctx.data.sql, identifier))?.account ?? (await findLocalGroupByName(ctx.data.sql, identifier))?.account ?? null;
}

/** The local user `/users/{identifier}` serves: none for an unknown or disabled account, or another spelling. */
async function servedUser(sql: Sql, identifier: string) {
  const user = await findLocalUser(sql, identifier);
  if (!user || user.account.username !== identifier) return null;
  if (!user.disabled) return user;
  // An erased account is served, empty, for the week its Delete(Person) takes to be verified (accounts/deletion.ts).
  const [shell] = await sql`SELECT 1 FROM accounts WHERE id = ${user.account.id} AND deleted_at IS NOT NULL`;
  return shell ? user : null;
}

/** Is there an actor at `/users/{identifier}` (and so an inbox)? The same rule as the actor dispatcher's: a person or a group. */
export async function actorExists(sql: Sql, identifier: string): Promise<boolean> {
  if (identifier === INSTANCE_ACTOR || (await servedUser(sql, identifier)) != null) return true;
  return (await findLocalGroupByName(sql, identifier))?.account.username === identifier;
}

async function instanceActor(ctx: Ctx) {
  const keys = await ctx.getActorKeyPairs(INSTANCE_ACTOR);
  return new Application({
    id: ctx.getActorUri(INSTANCE_ACTOR),
    preferredUsername: new URL(ctx.canonicalOrigin).hostname,
    name: ctx.data.config.instanceName,
    inbox: ctx.getInboxUri(INSTANCE_ACTOR),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    url: new URL("/", ctx.canonicalOrigin),
    followers: ctx.getFollowersUri(INSTANCE_ACTOR),
    following: ctx.getFollowingUri(INSTANCE_ACTOR),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
    manuallyApprovesFollowers: true,
  });
}

