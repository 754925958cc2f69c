// `npm run ruche -- user import people.csv` as an IT department runs it: a real process on a real database, a
// 1,000-row file imported twice, bad rows reported by line without stopping the others.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliRunner } from "../../../test/cli.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { findLocalUser } from "../accounts/accounts.ts";
import { getProfile } from "./profiles.ts";
import { parseCsv } from "./user-import.ts";
import { jobsOf } from "../../jobs/admin.ts";


describe("user import", () => {
  let db: TestDatabase, dir: string;
  const cli = cliRunner(() => db.url);
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), "ruche-import-"));
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("imports 1,000 people once, reports the bad rows by line, and changes nothing the second time", async () => {
    const lines = ["username,name,email,department,site,job_title,manager,expertise"];
    for (let i = 0; i < 1000; i++) {
      // Reports name a manager that comes later in the file (emp0999 manages everyone), as HR exports do.
      const manager = i === 999 ? "" : "emp0999";
      lines.push(`emp${String(i).padStart(4, "0")},"Employé ${i}, Lyon",emp${i}@acme.example,Infrastructure,Lyon Part-Dieu,SRE,${manager},"kubernetes; terraform"`);
    }
    // Bad rows, each on a known line (header = line 1, people = lines 2..1001).
    lines.push("Bad User,Bad,bad@acme.example,IT,Lyon,,,");                 // line 1002: username
    lines.push("carol,Carol,not-an-email,IT,Lyon,,,");                     // line 1003: e-mail
    lines.push("dave,Dave,dave@acme.example,IT,Lyon,,nobody,");            // line 1004: unknown manager
    lines.push("emp0001,Twice,emp1@acme.example,IT,Lyon,,,");              // line 1005: duplicate username
    lines.push("erin,Erin,erin@acme.example,IT,Lyon,,,\"c++, ###\"");      // line 1006: invalid tag
    lines.push("frank,Frank");                                              // line 1007: missing fields
    const file = join(dir, "people.csv");
    await writeFile(file, `${lines.join("\r\n")}\r\n`);

    const first = await cli("user", "import", file);
    expect(first.code).toBe(1); // some rows were refused
    expect(first.out).toContain("Created 1001, updated 0, unchanged 0, refused 6 row(s).");
    const errorLines = first.err.trim().split("\n");
    expect(errorLines.map((l) => l.split(":")[0])).toEqual(
      ["line 1002", "line 1003", "line 1004", "line 1005", "line 1006", "line 1007"]);
    expect(first.err).toMatch(/line 1003: email: .*name@example.com/);
    expect(first.err).toMatch(/line 1004: manager: no account "nobody"/);
    expect(first.err).toMatch(/line 1005: username: emp0001 is already on line 3/);
    expect(first.err).toMatch(/line 1006: expertise: "###" is not a tag/);
    expect(first.err).toMatch(/line 1007: expected 8 fields, found 2/);

    const [{ n }] = await db.sql`SELECT count(*)::int AS n FROM accounts WHERE username LIKE 'emp%' AND domain IS NULL`;
    expect(n).toBe(1000);
    const emp5 = await findLocalUser(db.sql, "emp0005");
    expect(emp5).toMatchObject({ email: "emp5@acme.example", account: { displayName: "Employé 5, Lyon" } });
    expect(await getProfile(db.sql, emp5!.account.id)).toMatchObject({
      department: "Infrastructure", site: "Lyon Part-Dieu", jobTitle: "SRE", expertise: ["kubernetes", "terraform"],
      manager: "https://paris.test/users/emp0999",
    });
    // Dave's row was written; only his manager link failed.
    expect(await findLocalUser(db.sql, "dave")).not.toBeNull();

    const queued = (await jobsOf(db.sql, "actor-update")).length;
    expect(queued).toBeGreaterThanOrEqual(1001);
    const second = await cli("user", "import", file);
    expect(second.out).toContain("Created 0, updated 0, unchanged 1001, refused 6 row(s).");
    const [{ m }] = await db.sql`SELECT count(*)::int AS m FROM accounts WHERE domain IS NULL`;
    expect(m).toBe(1001);
    // The second run queued no Update(Person): nothing changed, nothing to tell siblings.
    const updates = (await jobsOf(db.sql, "actor-update")).length;
    expect(updates).toBe(queued);
  }, 120_000);

  it("reads quoted fields, semicolons and line breaks inside quotes with the right line numbers", () => {
    const records = parseCsv('username;name\r\nann;"Ann ""A"" Smith"\nbob;"Line\nbreak"\ncat;Cat\n');
    expect(records.map((r) => [r.line, ...r.fields])).toEqual([
      [1, "username", "name"], [2, "ann", 'Ann "A" Smith'], [3, "bob", "Line\nbreak"], [5, "cat", "Cat"],
    ]);
  });
});
