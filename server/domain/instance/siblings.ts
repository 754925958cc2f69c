// The sibling allowlist: the group's other subsidiaries' instances. In 'siblings' federation mode only these
// origins may deliver to or fetch from this instance.
import type { Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";

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

export async function addSibling(db: Db, origin: string): Promise<string> {
  const o = normaliseOrigin(origin);
  await db`INSERT INTO siblings (origin) VALUES (${o}) ON CONFLICT DO NOTHING`;
  await db`SELECT pg_notify('ruche_siblings', '')`;
  return o;
}

export async function removeSibling(db: Db, origin: string): Promise<boolean> {
  const o = normaliseOrigin(origin);
  const rows = await db`DELETE FROM siblings WHERE origin = ${o} RETURNING origin`;
  await db`SELECT pg_notify('ruche_siblings', '')`;
  return rows.length > 0;
}

export async function listSiblings(db: Db): Promise<string[]> {
  const rows = await db`SELECT origin FROM siblings ORDER BY origin`;
  return rows.map((r) => r.origin as string);
}
