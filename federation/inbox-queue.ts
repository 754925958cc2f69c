// An inbox delivery that passed every guard goes straight to Fedify's inbox queue (ADR 0011). Fedify 2.3.6's own
// inbox handler, before it queues an activity, reads it as JSON-LD twice (verifyObject, then again because we set
// skipSignatureVerification: each read is ~15 jsonld.expand calls, ~0.8 ms of CPU), checks an idempotency key its
// queue worker never writes, and verifies any Linked Data signature (RDF canonicalisation) that we never trust for
// authentication (key-owner.ts). Its worker reads the activity again anyway: that one read is all it takes.
//
// What we give up: an activity that is valid JSON but not a readable ActivityStreams activity (an `@id` that is not
// a URL, a malformed date) is answered 202 and dropped by the worker with a log record, instead of 400 — as
// Mastodon, which queues first and reads later, answers.
//
// The message is Fedify's `InboxMessage` (an internal type of 2.3.6, not exported: that is one reason Fedify is
// pinned exactly). Every inbox test goes through here, so a Fedify whose worker reads it differently fails them.
import type { MessageQueue } from "@fedify/fedify";
import type { Sql } from "../server/db/pool.ts";
import { actorExists } from "./builder.ts";

interface FedifyInboxMessage {
  type: "inbox";
  id: ReturnType<typeof crypto.randomUUID>;
  baseUrl: string;
  activity: unknown;
  /**
   * false: Fedify did not verify a Linked Data signature. Its worker then reads the activity without it, as it does
   * for any activity whose LD signature did not verify.
   */
  ldSignatureVerified?: boolean;
  /** The inbox owner; null for the shared inbox. */
  identifier: string | null;
  attempt: number;
  started: string;
  traceContext: Record<string, string>;
}

export function inboxMessage(origin: string, activity: Record<string, unknown>, identifier: string | null): FedifyInboxMessage {
  return {
    type: "inbox",
    id: crypto.randomUUID(),
    baseUrl: origin,
    activity,
    ...("signature" in activity ? { ldSignatureVerified: false } : {}),
    identifier,
    attempt: 0,
    started: new Date().toISOString(),
    traceContext: {},
  };
}

/**
 * Queues an accepted activity for Fedify's inbox worker. Returns false when the inbox has no owner (an unknown or
 * disabled account): the caller lets Fedify answer that one (404), as before.
 */
export async function queueInboxActivity(
  queue: MessageQueue,
  sql: Sql,
  origin: string,
  activity: Record<string, unknown>,
  identifier: string | null,
): Promise<boolean> {
  if (identifier != null && !(await actorExists(sql, identifier))) return false;
  await queue.enqueue(inboxMessage(origin, activity, identifier));
  return true;
}
