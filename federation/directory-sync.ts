// Sibling directories. Each instance publishes the feed of its local profiles at /ap/directory/people, readable only
// with a request signed by a sibling; siblings pull it when they are added (addSibling queues
// the pull), then every few minutes from where they stopped, and fully once a day. A profile Update from a sibling
// makes us refetch that actor with a signed request: activities lose our JSON-LD extension when Fedify compacts
// them, and only the signed answer carries internal fields. All of this runs as jobs (directory-pull, profile-refresh queues).
import type { Federation } from "@fedify/fedify";
import { Person, type Update } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { atomically, type Db } from "../server/db/pool.ts";
import { findAccountByIri, upsertRemoteAccount } from "../server/domain/accounts/accounts.ts";
import { directoryFeed } from "../server/domain/profiles/directory.ts";
import { enqueueOutbox, type OutboxItem } from "../server/domain/outbox.ts";
import { removeRemoteProfile, upsertRemoteProfile } from "../server/domain/profiles/profiles.ts";
import { type AppContext, type Ctx, INSTANCE_ACTOR } from "./context.ts";
import { accountToPerson, actorToRemoteAccount } from "./mappers/actor.ts";
import { readExtension, readRemoteFields, workScheduleOf } from "./mappers/profile-fields.ts";
import { storeRemoteSchedule } from "../server/domain/quiet/schedules.ts";
import { isSiblingRequest } from "./mappers/profile-scope.ts";

const logger = getLogger(["ruche", "federation", "directory"]);

export const DIRECTORY_PATH = "/ap/directory/{name}";
const PAGE_SIZE = 50;
/** Incremental pulls catch people created since (an Update reaches us only for accounts we already know). */
export const INCREMENTAL_PULL_MS = 5 * 60_000;
/** A full pull also notices people who left a sibling's directory while we were not listening. */
export const FULL_PULL_MS = 24 * 3_600_000;

/** Registers the directory feed (called by the federation builder). */
export function registerDirectoryFeed(federation: Federation<AppContext>): void {
  federation
    .setCollectionDispatcher("ruche-directory", Person, DIRECTORY_PATH, async (ctx, values, cursor) => {
      if (values.name !== "people") return null;
      const page = await directoryFeed(ctx.data.sql, cursor, PAGE_SIZE);
      const items: Person[] = [];
      for (const item of page.items) {
        // People who left the directory are listed as a bare Person marked not discoverable: siblings drop them.
        items.push(item.listed
          ? await accountToPerson(ctx, item.account, { scope: "internal", profile: item.profile })
          : new Person({ id: ctx.getActorUri(item.account.username), discoverable: false }));
      }
      return { items, nextCursor: page.next };
    })
    .setFirstCursor(() => "")
    .authorize((ctx) => isSiblingRequest(ctx));
}

export function directoryFeedUrl(origin: string, cursor = ""): string {
  return `${origin}/ap/directory/people?cursor=${encodeURIComponent(cursor)}`;
}

/**
 * Wraps the Update listener: after it ran, a sibling person's Update makes us refetch their profile, known or not
 * yet (a person created after our last pull).
 */
export function withProfileRefresh(onUpdate: (ctx: Ctx, update: Update) => Promise<void>) {
  return async (ctx: Ctx, update: Update): Promise<void> => {
    await onUpdate(ctx, update);
    const actor = update.actorId;
    if (!actor || update.objectId?.href !== actor.href || !ctx.data.siblings.isSibling(actor.origin)) return;
    await enqueueOutbox(ctx.data.sql, { kind: "refresh-profile", iri: actor.href, origin: actor.origin });
  };
}

type ProfileJob = Extract<OutboxItem, { kind: "refresh-profile" | "pull-directory" }>;

/**
 * Runs one profile job (federation/jobs.ts): the signed fetches happen outside any transaction, each person is
 * stored in its own; failures throw and the job system retries with back-off.
 */
export async function runProfileJob(ctx: Ctx, item: ProfileJob): Promise<void> {
  const db = ctx.data.sql;
  // A sibling removed since the job was queued: nothing to do (its data is already gone). Read from the table, not
  // the in-memory policy: the job may run before the policy hears of the sibling just added.
  const [row] = await db`SELECT 1 FROM siblings WHERE origin = ${item.origin}`;
  if (!row && !ctx.data.config.siblings.includes(item.origin)) return;
  await ctx.data.siblings.refresh();
  if (item.kind === "refresh-profile") await refreshProfile(ctx, db, item.iri, item.origin);
  else await pullDirectoryPage(ctx, db, item);
}

async function signedGet(ctx: Ctx, url: string): Promise<{ document: unknown; documentUrl: string }> {
  const loader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
  const { document, documentUrl } = await loader(url);
  return { document, documentUrl };
}

async function refreshProfile(ctx: Ctx, db: Db, iri: string, origin: string): Promise<void> {
  if (new URL(iri).origin !== origin) return;
  const { document, documentUrl } = await signedGet(ctx, iri);
  // The document must be served at the IRI we asked for (no redirect to another actor, corpus case 5).
  if (documentUrl !== iri) throw new Error(`${iri} redirected to ${documentUrl}`);
  await storePerson(ctx, db, document, origin);
}

/** Stores one Person document received from the sibling at `origin` (its own id must be on that origin). */
async function storePerson(ctx: Ctx, db: Db, document: unknown, origin: string): Promise<void> {
  const id = document && typeof document === "object" ? (document as Record<string, unknown>).id : null;
  if (typeof id !== "string" || !URL.canParse(id) || new URL(id).origin !== origin) {
    throw new Error(`a directory item from ${origin} claims the id ${String(id).slice(0, 200)}`);
  }
  const person = await Person.fromJsonLd(document, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader });
  if (person.discoverable === false && !person.preferredUsername) {
    const known = await findAccountByIri(db, id);
    if (known && known.domain != null) await removeRemoteProfile(db, known.id);
    return;
  }
  // Everything that may fetch happens first; the account and its profile are then written together.
  const remote = await actorToRemoteAccount(ctx, person, id);
  const ext = readExtension(document);
  // Org chart (issue #8 point 31): a person's manager is accepted only as stated by the manager's own origin — here,
  // a manager on the same instance as the person. Otherwise a sibling could hang its people under another
  // instance's managers.
  if (ext?.data.manager && new URL(ext.data.manager).origin !== origin) {
    logger.warn("Ignored the manager {manager} that {origin} states for {id}: not on the person's own instance", { manager: ext.data.manager, origin, id });
    ext.data.manager = null;
  }
  const remoteFields = readRemoteFields(await arrayOf(person.getAttachments({ documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader, suppressError: true })));
  await atomically(db, async (tx) => {
    const account = await upsertRemoteAccount(tx, remote);
    if (!ext && remoteFields.length === 0) return;
    await upsertRemoteProfile(tx, account.id, {
    data: ext?.data ?? { pronouns: "", jobTitle: "", department: "", site: "", workPhone: "", workEmail: "", manager: null, expertise: [], languages: [], career: [], customFields: [], visibility: {} },
    remoteFields,
      scope: ext?.scope ?? "internal",
      fromSibling: true,
    });
    // Their working hours (issue #15), published to siblings only: their availability is computed here from it.
    if (ext?.scope === "internal") await storeRemoteSchedule(tx, account.id, workScheduleOf(document));
  });
}

async function arrayOf<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Reads one page of a sibling's feed, stores its people, and queues the next page or the next pull. */
async function pullDirectoryPage(ctx: Ctx, db: Db, item: Extract<OutboxItem, { kind: "pull-directory" }>): Promise<void> {
  // The database's clock, not ours: profiles stored by this pull carry now() of their transaction, and the cleanup
  // at the end of a full pull compares with it.
  const startedAt = item.startedAt ?? ((await db`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`)[0].t as string);
  let url = item.url;
  if (!url) {
    const [state] = await db`SELECT cursor FROM sibling_sync WHERE origin = ${item.origin}`;
    url = directoryFeedUrl(item.origin, item.full ? "" : ((state?.cursor as string | null) ?? ""));
  }
  if (new URL(url).origin !== item.origin) throw new Error(`refusing to follow a directory page on another origin: ${url}`);
  const { document, documentUrl } = await signedGet(ctx, url);
  if (new URL(documentUrl).origin !== item.origin) throw new Error(`${url} redirected to ${documentUrl}`);
  const page = document as Record<string, unknown>;
  // A collection's first request answers with the collection; its `first` page holds the items.
  const body = (page.type === "OrderedCollection" || page.type === "Collection") && page.first
    ? (typeof page.first === "string" ? (await signedGet(ctx, page.first)).document as Record<string, unknown> : page.first as Record<string, unknown>)
    : page;
  const items = (body.orderedItems ?? body.items ?? []) as unknown[];
  let stored = 0;
  for (const doc of (Array.isArray(items) ? items : [items]).slice(0, 200)) {
    try {
      await storePerson(ctx, db, doc, item.origin);
      stored++;
    } catch (e) {
      logger.warn("Directory item from {origin} refused: {error}", { origin: item.origin, error: String(e) });
    }
  }
  const next = typeof body.next === "string" ? body.next : null;
  const cursor = next ? new URL(next).searchParams.get("cursor") : null;
  if (next && cursor) {
    await atomically(db, async (tx) => {
      await tx`INSERT INTO sibling_sync (origin, cursor, last_pull_at) VALUES (${item.origin}, ${cursor}, now())
      ON CONFLICT (origin) DO UPDATE SET cursor = excluded.cursor, last_pull_at = now()`;
      await enqueueOutbox(tx, { kind: "pull-directory", origin: item.origin, full: item.full, url: directoryFeedUrl(item.origin, cursor), startedAt });
    });
    return;
  }
  // The end of the feed: remember where it stands and schedule the next pull.
  const lastCursor = lastItemCursor(item.url) ?? null;
  await atomically(db, async (tx) => {
  await tx`INSERT INTO sibling_sync (origin, cursor, last_pull_at, last_full_at)
      VALUES (${item.origin}, ${lastCursor}, now(), ${item.full ? new Date() : null})
    ON CONFLICT (origin) DO UPDATE SET cursor = coalesce(excluded.cursor, sibling_sync.cursor), last_pull_at = now(),
      last_full_at = coalesce(excluded.last_full_at, sibling_sync.last_full_at)`;
  if (item.full) {
    // Once a day with the full pull, the sibling's published name is read again (instance-info.ts).
    await enqueueOutbox(tx, { kind: "fetch-instance-name", origin: item.origin });
    // People not seen during a full pull have left that sibling's directory.
    await tx`DELETE FROM profiles p USING accounts a WHERE a.id = p.account_id AND p.from_sibling
      AND a.domain = ${new URL(item.origin).host} AND p.updated_at < ${startedAt}::timestamptz`;
  }
  const [state] = await tx`SELECT last_full_at FROM sibling_sync WHERE origin = ${item.origin}`;
  const fullDue = !state?.last_full_at || Date.now() - (state.last_full_at as Date).getTime() > FULL_PULL_MS;
  await enqueueOutbox(tx, { kind: "pull-directory", origin: item.origin, full: fullDue }, { delayMs: INCREMENTAL_PULL_MS });
  });
  logger.debug("Pulled {n} profiles from {origin}", { n: stored, origin: item.origin });
}

/** The cursor a page was requested with: the next incremental pull starts there when the page had no `next`. */
function lastItemCursor(url: string | undefined): string | null {
  if (!url) return null;
  const c = new URL(url).searchParams.get("cursor");
  return c || null;
}
