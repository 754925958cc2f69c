// Servers this instance refuses (issue #15 point 5, for open federation mode): the sibling policy loads them with
// the suspended remote accounts, and the inbox guard answers 403 to both (federation/sibling-policy.ts). Every
// change publishes `siblings.changed`, the event on which every process reloads its federation policy.
//
//   blockDomain(db, moderatorId, {domain, reason}) / unblockDomain(db, id) / listDomainBlocks(db)
//   federationRefusals(db) → {domains, actors}
import { z } from "zod";
import { atomically, type Db } from "../../db/pool.ts";
import { publish } from "../../events/bus.ts";
import { DomainError } from "../errors.ts";

export interface DomainBlock { id: string; domain: string; reason: string; createdAt: Date }

const domainSchema = z.string().trim().toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(:\d{1,5})?$/, "give a server's domain, such as social.example");

export async function blockDomain(db: Db, moderatorId: string, input: { domain: unknown; reason?: unknown }, opts: { isSibling(host: string): boolean; selfHost: string }): Promise<DomainBlock> {
  const parsed = domainSchema.safeParse(input.domain);
  if (!parsed.success) throw new DomainError("invalid_domain", 422, parsed.error.issues[0].message, "domain");
  const domain = parsed.data;
  if (domain === opts.selfHost) throw new DomainError("invalid_domain", 422, "this is our own domain", "domain");
  if (opts.isSibling(domain)) throw new DomainError("sibling_domain", 422, "a sibling instance is not blocked: remove it from the siblings first", "domain");
  const reason = typeof input.reason === "string" ? input.reason.slice(0, 2000) : "";
  return await atomically(db, async (tx) => {
    const [row] = await tx`INSERT INTO domain_blocks (domain, reason, created_by) VALUES (${domain}, ${reason}, ${moderatorId})
      ON CONFLICT (domain) DO UPDATE SET reason = EXCLUDED.reason RETURNING id::text, domain, reason, created_at`;
    await publish(tx, { type: "siblings.changed", origin: `https://${domain}` });
    return { id: row.id as string, domain: row.domain as string, reason: row.reason as string, createdAt: row.created_at as Date };
  });
}

export async function unblockDomain(db: Db, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  return await atomically(db, async (tx) => {
    const rows = await tx`DELETE FROM domain_blocks WHERE id = ${id} RETURNING domain`;
    if (rows.length > 0) await publish(tx, { type: "siblings.changed", origin: `https://${rows[0].domain}` });
    return rows.length > 0;
  });
}

export async function listDomainBlocks(db: Db): Promise<DomainBlock[]> {
  const rows = await db`SELECT id::text, domain, reason, created_at FROM domain_blocks ORDER BY domain`;
  return rows.map((r) => ({ id: r.id as string, domain: r.domain as string, reason: r.reason as string, createdAt: r.created_at as Date }));
}

/** What the inbox guard refuses: blocked servers (host[:port]) and the actor IRIs of suspended remote accounts. */
export async function federationRefusals(db: Db): Promise<{ domains: string[]; actors: string[] }> {
  const [domains, actors] = await Promise.all([
    db`SELECT domain FROM domain_blocks`,
    db`SELECT iri FROM accounts WHERE suspended_at IS NOT NULL AND domain IS NOT NULL`,
  ]);
  return { domains: domains.map((r) => r.domain as string), actors: actors.map((r) => r.iri as string) };
}
