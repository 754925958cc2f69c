// The operator CLI as an operator runs it: a real process, against a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db.ts";
import { verifyApiToken } from "./domain/accounts/tokens.ts";
import { cliRunner } from "../test/cli.ts";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authenticate } from "./domain/accounts/accounts.ts";
import { acceptInvitation, findInvitation } from "./domain/accounts/invitations.ts";


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

  it("manages the instance's rules, in order, and refuses an empty one", async () => {
    expect((await cli("rule", "list")).out).toMatch(/No rules yet/);
    expect((await cli("rule", "add", "Respecter le droit à la déconnexion", "--hint", "Pas de message urgent après 20 h")).out).toMatch(/^Rule 1 added/);
    expect((await cli("rule", "add", "Pas de données clients")).code).toBe(0);
    const bad = await cli("rule", "add", "   ");
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/a rule needs a text/);
    expect((await cli("rule", "remove", "1")).code).toBe(0);
    expect((await cli("rule", "remove", "1")).err).toMatch(/no rule with id 1/);
    expect((await cli("rule", "list")).out.trim()).toBe("2\tPas de données clients");
  }, 120_000); // seven processes: slow on a loaded machine

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

  it("imports people with invitation links to choose their password, printed or written to a file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ruche-cli-"));
    try {
      const csv = join(dir, "people.csv");
      await writeFile(csv, "username,name,email\ncamille,Camille Roux,camille@acme.example\ndenis,Denis Blanc,\n");
      const out = join(dir, "links.csv");
      const r = await cli("user", "import", csv, "--invitations", out);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/2 invitation link\(s\) written to/);
      expect((await stat(out)).mode & 0o777).toBe(0o600);
      const rows = (await readFile(out, "utf8")).trim().split("\n");
      expect(rows[0]).toBe("username,invitation_url,expires_at");
      const [user, url] = rows[1].split(",");
      expect(user).toBe("camille");
      expect(url).toMatch(/^https:\/\/paris\.test\/invitation\/[\w-]{43}$/);
      const token = url.split("/").at(-1)!;
      expect(await findInvitation(db.sql, token)).toMatchObject({ username: "camille" });
      await acceptInvitation(db.sql, token, "camille-password");
      expect(await authenticate(db.sql, "camille", "camille-password")).not.toBeNull();

      // Printed when no file is named; a second run creates nobody and prints no link.
      await writeFile(csv, "username,name\nemma,Emma Petit\n");
      expect((await cli("user", "import", csv)).out).toMatch(/emma {2}https:\/\/paris\.test\/invitation\/[\w-]{43}/);
      const again = await cli("user", "import", csv);
      expect(again.out).toMatch(/Created 0, updated 0, unchanged 1/);
      expect(again.out).not.toMatch(/invitation\//);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("invites one person, and resets a password", async () => {
    const r = await cli("user", "invite", "denis");
    expect(r.code).toBe(0);
    const url = r.out.trim().split("\n").at(-1)!;
    expect(await findInvitation(db.sql, url.split("/").at(-1)!)).toMatchObject({ username: "denis" });
    expect((await cli("user", "invite", "nobody")).err).toMatch(/no local user named nobody/);

    expect((await cli("user", "reset-password", "alice", "--password", "reset-by-the-admin")).code).toBe(0);
    expect(await authenticate(db.sql, "alice", "reset-by-the-admin")).not.toBeNull();
    expect(await authenticate(db.sql, "alice", "correct horse battery")).toBeNull();
    const generated = await cli("user", "reset-password", "alice");
    const password = /Password: (\S+)/.exec(generated.out)![1];
    expect(await authenticate(db.sql, "alice", password)).not.toBeNull();
    expect((await cli("user", "reset-password", "alice", "--password", "short")).err).toMatch(/at least 10 characters/);
  });

  it("gives help per command group", async () => {
    for (const args of [["user", "--help"], ["user"]]) {
      const r = await cli(...args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/user invite <username>/);
      expect(r.out).toMatch(/user reset-password <username>/);
      expect(r.out).not.toMatch(/sibling add/);
    }
    expect((await cli("jobs", "--help")).out).toMatch(/jobs retry/);
    const bad = await cli("user", "frobnicate");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Unknown command: user frobnicate[\s\S]*user create/);
  });

  it("refuses a data directory that was never started, and creates nothing there", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ruche-cli-data-"));
    try {
      const r = await cliRunner(() => "", { RUCHE_DATA: join(dir, "data") })("user", "list");
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/No Ruche database in .*data: this data directory has never been started/);
      expect(r.err).toMatch(/RUCHE_DATA/);
      expect(existsSync(join(dir, "data"))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
