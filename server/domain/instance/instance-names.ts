// Instance names as each instance publishes them in its own NodeInfo (federation/instance-info.ts fetches them): the
// name shown for a sibling and for remote people, falling back to the host. Never what another instance claims.
import type { Db } from "../../db/pool.ts";

export const MAX_INSTANCE_NAME = 100;

export async function storeInstanceName(db: Db, origin: string, name: string): Promise<void> {
  const host = new URL(origin).host;
  await db`INSERT INTO instance_names (host, origin, name) VALUES (${host}, ${origin}, ${name.slice(0, MAX_INSTANCE_NAME)})
    ON CONFLICT (host) DO UPDATE SET origin = excluded.origin, name = excluded.name, fetched_at = now()`;
}

/** The published names of these origins (those we know). */
export async function instanceNames(db: Db, origins: string[]): Promise<Map<string, string>> {
  if (origins.length === 0) return new Map();
  const rows = await db`SELECT origin, name FROM instance_names WHERE origin = ANY(${origins}::text[])`;
  return new Map(rows.map((r) => [r.origin as string, r.name as string]));
}
