import postgres from "postgres";

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
/** Either the pool or a transaction: domain functions accept both so callers choose the transaction boundary. */
export type Db = postgres.Sql | postgres.TransactionSql;

/**
 * The pool must stay above the queue's parallelism plus the web role's concurrency, or the app can appear hung
 * under load (fedify#603): 20 by default, 4 queue workers + LISTEN connection + web requests.
 */
export function connect(url: string, opts: { max?: number } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 20,
    onnotice: () => {},
    idle_timeout: 60,
    connect_timeout: 15,
    transform: { undefined: null },
  });
}

/**
 * Runs `fn` atomically: in a new transaction on the pool, or in a savepoint inside the caller's transaction. A
 * failure half-way leaves nothing behind (an inbox write that failed after its first INSERT used to leave a post
 * without its notifications, and the retry then said "already stored").
 */
export async function atomically<T>(db: Db, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return "begin" in db ? (await db.begin(fn)) as T : (await db.savepoint(fn)) as T;
}
