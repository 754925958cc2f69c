// The operator CLI as an operator runs it: a real process, against a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db.ts";
import { verifyApiToken } from "./domain/accounts/tokens.ts";
import { cliRunner } from "../test/cli.ts";


describe("npm run ruche -- …", () => {
  let db: TestDatabase;
  const cli = cliRunner(() => db.url);
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("creates users, lists and disables them", async () => {
    const created = await cli("user", "create", "alice", "--password", "correct horse battery", "--admin");
    expect(created.code).toBe(0);
    expect(created.out).toContain("@alice@paris.test");
    expect((await cli("user", "create", "bob", "--locked")).out).toMatch(/Password: \S+/);
    expect((await cli("user", "create", "alice")).err).toMatch(/taken/);
    const bad = await cli("user", "create", "Not Valid");
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/lower-case letters/);
    const list = await cli("user", "list");
    expect(list.out).toMatch(/^alice\t.*admin/m);
    expect(list.out).toMatch(/^bob\t.*locked/m);
    expect((await cli("user", "disable", "bob")).code).toBe(0);
    expect((await cli("user", "list")).out).toMatch(/^bob\t.*disabled/m);
    expect((await cli("user", "disable", "nobody")).err).toMatch(/no local user/);
  });

  it("issues a hashed token, printed as the last line", async () => {
    const r = await cli("token", "create", "alice", "--scopes", "read write");
    expect(r.code).toBe(0);
    const token = r.out.trim().split("\n").at(-1)!;
    expect(await verifyApiToken(db.sql, token)).toMatchObject({ scopes: ["read", "write"] });
    const stored = await db.sql`SELECT token_hash FROM api_tokens`;
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
    expect((await cli("token", "create", "alice", "--scopes", "read everything")).err).toMatch(/unknown scope "everything"/);
  });

  it("manages siblings and validates origins", async () => {
    expect((await cli("sibling", "add", "https://lyon.test")).out).toContain("https://lyon.test");
    expect((await cli("sibling", "add", "https://lyon.test/path")).code).not.toBe(0);
    expect((await cli("sibling", "list")).out.trim()).toBe("https://lyon.test");
    expect((await cli("sibling", "remove", "https://lyon.test")).code).toBe(0);
    expect((await cli("sibling", "list")).out).toMatch(/No siblings/);
  });

  it("explains itself and refuses bad input", async () => {
    expect((await cli("--help")).out).toMatch(/user create <username>/);
    expect((await cli("token", "create", "--help")).out).toMatch(/--scopes/);
    expect((await cli("frobnicate")).err).toMatch(/Unknown command/);
    expect((await cli("user", "create")).err).toMatch(/Expected 1 argument/);
    expect((await cli("migrate")).out).toMatch(/up to date/);
  });

  it("refuses to reuse a database under another origin", async () => {
    const r = await cliRunner(() => db.url, { RUCHE_ORIGIN: "https://elsewhere.test" })("user", "list");
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/ActivityPub ids cannot change/);
  });
});
