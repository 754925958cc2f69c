import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { migrate } from "../server/db/migrate.ts";

describe("test databases", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("is cloned from a migrated template, so migrating again applies nothing", async () => {
    const rows = await db.sql`SELECT count(*)::int AS n FROM schema_migrations`;
    expect(rows[0].n).toBeGreaterThan(0);
    expect(await migrate(db.sql)).toEqual([]);
  });

  it("has the accounts table with its handle uniqueness", async () => {
    await db.sql`INSERT INTO accounts (username, iri) VALUES ('Alice', 'https://a.example/users/alice')`;
    await expect(db.sql`INSERT INTO accounts (username, iri) VALUES ('alice', 'https://a.example/users/alice2')`)
      .rejects.toThrow(/accounts_handle_idx/);
  });
});
