// The usage charter's rules (issue #15 point 1): numbered versions in date order, the version in force by date,
// acceptance per version (a new version asks again), no accepting a text one has not seen, HR's CSV.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { acceptanceRecords, acceptancesCsv, acceptCharter, charterHistory, charterInForce, charterToAccept, publishCharter } from "./charter.ts";
import { renderMarkdown } from "../markdown.ts";
import { zonedToInstant, instantToZoned } from "../zoned-time.ts";

const ORIGIN = "https://paris.example";
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : String(e)));

describe("usage charter", () => {
  let db: TestDatabase, admin: LocalUser, alice: LocalUser;
  beforeAll(async () => {
    db = await createTestDatabase();
    admin = await createLocalUser(db.sql, ORIGIN, { username: "admin", admin: true, deferKeys: true });
    alice = await createLocalUser(db.sql, ORIGIN, { username: "alice", deferKeys: true });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("without a charter nobody is held back; a published version must be accepted by everyone but its publisher", async () => {
    expect(await charterToAccept(db.sql, alice.account.id)).toBeNull();
    const v1 = await publishCharter(db.sql, admin.account.id, { text_fr: "# Charte\n\nRespect.", text_en: "# Charter\n\nRespect." });
    expect(v1).toMatchObject({ version: 1, replacesVersion: null });
    expect(await charterToAccept(db.sql, alice.account.id)).toEqual({ id: v1.id, version: 1 });
    expect(await charterToAccept(db.sql, admin.account.id)).toBeNull();
    expect(await acceptCharter(db.sql, alice.account.id, 1)).toMatchObject({ version: 1 });
    expect(await charterToAccept(db.sql, alice.account.id)).toBeNull();
  });

  it("a version scheduled later is not in force before its date, and asks again once it is", async () => {
    const later = new Date(Date.now() + 7 * 86_400_000);
    const v2 = await publishCharter(db.sql, admin.account.id, { text_fr: "V2", text_en: "V2 en", effective_at: later.toISOString() });
    expect(v2).toMatchObject({ version: 2, replacesVersion: 1 });
    const { current, upcoming } = await charterInForce(db.sql);
    expect(current?.version).toBe(1);
    expect(upcoming?.version).toBe(2);
    expect(await charterToAccept(db.sql, alice.account.id)).toBeNull();
    // Its date comes (moved by the database, as the clock would).
    await db.sql`UPDATE charter_versions SET effective_at = now() WHERE version = 2`;
    expect((await charterInForce(db.sql)).current?.version).toBe(2);
    expect(await charterToAccept(db.sql, alice.account.id)).toMatchObject({ version: 2 });
    // Accepting the version she read before (1) is refused: version 2 is in force now.
    expect(await codeOf(acceptCharter(db.sql, alice.account.id, 1))).toBe("charter_changed");
    expect(await charterToAccept(db.sql, alice.account.id)).not.toBeNull();
    await acceptCharter(db.sql, alice.account.id, 2);
    expect(await charterToAccept(db.sql, alice.account.id)).toBeNull();
    expect((await charterHistory(db.sql)).map((v) => [v.version, v.acceptances])).toEqual([[2, 2], [1, 2]]);
  });

  it("refuses a version without text, dated before the previous one or more than a year ahead — nothing stored", async () => {
    const before = (await charterHistory(db.sql)).length;
    expect(await codeOf(publishCharter(db.sql, admin.account.id, { text_fr: " ", text_en: "x" }))).toBe("validation_failed");
    expect(await codeOf(publishCharter(db.sql, admin.account.id, { text_fr: "x", text_en: "x", effective_at: "2020-01-01T00:00:00Z" }))).toBe("charter_before_previous");
    expect(await codeOf(publishCharter(db.sql, admin.account.id, { text_fr: "x", text_en: "x", effective_at: new Date(Date.now() + 400 * 86_400_000).toISOString() }))).toBe("charter_too_far");
    expect(await codeOf(publishCharter(db.sql, admin.account.id, { text_fr: "x", text_en: "x", effective_at: "demain" }))).toBe("validation_failed");
    expect((await charterHistory(db.sql)).length).toBe(before);
  });

  it("two administrators publishing at once get two numbered versions", async () => {
    const [a, b] = await Promise.all([
      publishCharter(db.sql, admin.account.id, { text_fr: "A", text_en: "A" }),
      publishCharter(db.sql, admin.account.id, { text_fr: "B", text_en: "B" }),
    ]);
    expect([a.version, b.version].sort()).toEqual([3, 4]);
    expect([a.replacesVersion, b.replacesVersion].sort()).toEqual([2, 3]);
  });

  it("exports who accepted which version and when, as CSV a spreadsheet opens safely", async () => {
    await db.sql`UPDATE accounts SET display_name = '=HYPERLINK("x")' WHERE id = ${alice.account.id}`;
    const records = await acceptanceRecords(db.sql);
    expect(records.filter((r) => r.username === "alice").map((r) => r.version)).toEqual([1, 2]);
    const csv = acceptancesCsv(records);
    expect(csv.split("\r\n")[0]).toBe("username,display_name,version,accepted_at");
    expect(csv).toContain(`alice,"'=HYPERLINK(""x"")",1,`);
  });
});

describe("Markdown and zoned times", () => {
  it("renders Markdown without letting HTML or scripts through", () => {
    const out = renderMarkdown("# Titre\n\n<script>alert(1)</script> **gras** [x](javascript:alert(1)) [y](https://acme.example)");
    expect(out).toContain("<h2>Titre</h2>");
    expect(out).toContain("<strong>gras</strong>");
    expect(out).not.toContain("<script");
    expect(out).not.toMatch(/href="javascript/);
    expect(out).toContain('<a href="https://acme.example" rel="nofollow noopener noreferrer">y</a>');
  });

  it("reads a form's local time in the person's zone, daylight saving included", () => {
    expect(zonedToInstant("2027-01-04T09:00", "Europe/Paris")?.toISOString()).toBe("2027-01-04T08:00:00.000Z");
    expect(zonedToInstant("2027-07-05T09:00", "Europe/Paris")?.toISOString()).toBe("2027-07-05T07:00:00.000Z");
    expect(zonedToInstant("2027-07-05T09:00", "America/New_York")?.toISOString()).toBe("2027-07-05T13:00:00.000Z");
    expect(zonedToInstant("2027-02-30T09:00", "Europe/Paris")).toBeNull();
    expect(zonedToInstant("demain", "Europe/Paris")).toBeNull();
    expect(zonedToInstant("2027-01-04T09:00", "Mars/Olympus")).toBeNull();
    expect(instantToZoned(new Date("2027-07-05T07:00:00Z"), "Europe/Paris")).toBe("2027-07-05T09:00");
  });
});
