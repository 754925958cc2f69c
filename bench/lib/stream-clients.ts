// What the streaming benchmarks share: a database seeded with one poster and N local listeners who follow them
// (each with its own API token), `node server/main.ts` started on it as `npm start` runs it (startServerProcess:
// same node flags, RUCHE_ROLE=all, one web process), and N WebSockets opened on `/api/v1/streaming?stream=user`,
// one per listener, as Mastodon apps open them.
//
// The database is a temporary one (DATABASE_URL's server, or the benchmarks' shared embedded PostgreSQL) rather
// than the server's own embedded one, so that 1,000 accounts can be written in a few SQL statements before it
// starts; the server process is the same either way.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { freePort } from "../../server/db/embedded.ts";
import { migrate } from "../../server/db/migrate.ts";
import { connect, type Sql } from "../../server/db/pool.ts";
import { createLocalUser } from "../../server/domain/accounts/accounts.ts";
import { createApiToken, digest, newSecret } from "../../server/domain/accounts/tokens.ts";
import type { Scope } from "./cleanup.ts";
import { benchDatabase } from "./instance.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

export interface StreamingServer {
  server: ServerProcess;
  sql: Sql;
  dbKind: string;
  posterToken: string;
  listenerTokens: string[];
}

export async function startStreamingServer(scope: Scope, listeners: number): Promise<StreamingServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "ruche-bench-stream-"));
  scope.defer(`temp dir ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
  const db = await benchDatabase(scope);
  const sql = connect(db.url, { max: 2 });
  scope.defer("database pool", () => sql.end({ timeout: 5 }));
  await migrate(sql);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const poster = await createLocalUser(sql, origin, { username: "poster", deferKeys: true });
  const posterToken = await createApiToken(sql, poster.account.id, ["read", "write"]);
  const listenerTokens = Array.from({ length: listeners }, () => newSecret());
  await sql.begin(async (tx) => {
    const ids = await tx`INSERT INTO accounts (username, iri, url, inbox_url, shared_inbox_url, followers_url, following_url, fetched_at)
      SELECT 'listener' || i, ${origin} || '/users/listener' || i, ${origin} || '/@listener' || i, ${origin} || '/users/listener' || i || '/inbox',
        ${origin} || '/inbox', ${origin} || '/users/listener' || i || '/followers', ${origin} || '/users/listener' || i || '/following', now()
      FROM generate_series(1, ${listeners}) AS i ORDER BY i RETURNING id`;
    const accountIds = ids.map((r) => r.id as string);
    await tx`INSERT INTO users (account_id, role) SELECT unnest(${accountIds}::bigint[]), 'user'`;
    await tx`INSERT INTO follows (follower_id, following_id, state, iri)
      SELECT a, ${poster.account.id}, 'accepted', ${origin} || '/follows/' || a FROM unnest(${accountIds}::bigint[]) AS a`;
    await tx`INSERT INTO api_tokens (token_hash, account_id, scopes, name)
      SELECT h, a, ARRAY['read'], 'bench' FROM unnest(${listenerTokens.map(digest)}::text[], ${accountIds}::bigint[]) AS t(h, a)`;
  });
  await sql`ANALYZE`;
  const server = await startServerProcess(scope, dataDir, {
    port, env: { DATABASE_URL: db.url, RUCHE_ALLOW_PRIVATE_ADDRESS: "true", RUCHE_LOG_LEVEL: "warning" },
  });
  await server.waitFor200("/api/v1/streaming/health", 180_000); // a start on a busy shared machine can take a minute
  return { server, sql, dbKind: db.kind, posterToken, listenerTokens };
}

export interface OpenStream {
  ws: WebSocket;
  /** Milliseconds (performance.now()) at which each `update` arrived, with the post id. */
  updates: { at: number; id: string }[];
}

/** Opens one `user` stream per token, `parallel` handshakes at a time; resolves once all are open. */
export async function openUserStreams(scope: Scope, origin: string, tokens: string[], parallel = 50): Promise<OpenStream[]> {
  const streams: OpenStream[] = [];
  scope.defer(`${tokens.length} WebSockets`, async () => {
    for (const s of streams) s.ws.terminate();
  });
  const url = `${origin.replace(/^http/, "ws")}/api/v1/streaming?stream=user`;
  let next = 0;
  const open = async () => {
    while (next < tokens.length) {
      const token = tokens[next++];
      const ws = new WebSocket(url, [token], { perMessageDeflate: false });
      const s: OpenStream = { ws, updates: [] };
      streams.push(s);
      ws.on("message", (data) => {
        const at = performance.now();
        const m = JSON.parse(String(data)) as { event?: string; payload?: string };
        if (m.event === "update") s.updates.push({ at, id: (JSON.parse(m.payload!) as { id: string }).id });
      });
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
        ws.once("unexpected-response", (_req, res) => reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`)));
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, open));
  return streams;
}
