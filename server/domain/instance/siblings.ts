// The sibling allowlist: the group's other subsidiaries' instances. In 'siblings' federation mode only these
// origins may deliver to or fetch from this instance.
import { atomically, type Db } from "../../db/pool.ts";
import { cancelQueuedJobs } from "../../jobs/enqueue.ts";
import { enqueueOutbox } from "../outbox.ts";
import { DomainError } from "../errors.ts";
import { publish } from "../../events/bus.ts";

export function normaliseOrigin(input: string): string {
  let u: URL;
  try {
    u = new URL(input.includes("://") ? input : `https://${input}`);
  } catch {
    throw new DomainError("invalid_origin", 422, `"${input}" is not an origin such as https://lyon.example.com`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    throw new DomainError("invalid_origin", 422, `"${input}": only http and https origins`);
  }
  if (u.pathname !== "/" || u.search || u.hash || u.username) {
    throw new DomainError("invalid_origin", 422, `"${input}" has a path, query or credentials; give only scheme://host[:port]`);
  }
  return u.origin;
}

/** Adds a sibling and, in the same transaction, queues a full pull of its directory (replacing a pending one). */
export async function addSibling(db: Db, origin: string): Promise<string> {
  const o = normaliseOrigin(origin);
  await atomically(db, async (tx) => {
    const added = await tx`INSERT INTO siblings (origin) VALUES (${o}) ON CONFLICT DO NOTHING RETURNING origin`;
    if (added.length > 0) {
      await cancelQueuedJobs(tx, "directory-pull", o);
      await enqueueOutbox(tx, { kind: "pull-directory", origin: o, full: true });
      await enqueueOutbox(tx, { kind: "fetch-instance-name", origin: o });
    }
    await publish(tx, { type: "siblings.changed", origin: o });
  });
  return o;
}

/** Removes a sibling with what we hold of it: its internal profiles, its sync state and its pending pulls. */
export async function removeSibling(db: Db, origin: string): Promise<boolean> {
  const o = normaliseOrigin(origin);
  return await atomically(db, async (tx) => {
    const rows = await tx`DELETE FROM siblings WHERE origin = ${o} RETURNING origin`;
    if (rows.length > 0) {
      await cancelQueuedJobs(tx, "directory-pull", o);
      await tx`DELETE FROM sibling_sync WHERE origin = ${o}`;
      await tx`DELETE FROM profiles p USING accounts a
        WHERE a.id = p.account_id AND a.domain = ${new URL(o).host} AND p.scope = 'internal'`;
    }
    await publish(tx, { type: "siblings.changed", origin: o });
    return rows.length > 0;
  });
}

export async function listSiblings(db: Db): Promise<string[]> {
  const rows = await db`SELECT origin FROM siblings ORDER BY origin`;
  return rows.map((r) => r.origin as string);
}
