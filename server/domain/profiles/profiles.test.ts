// Saving the settings form (account part and work profile) in one transaction queues one Update(Person).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { createLocalUser, type LocalUser, updateProfile } from "../accounts/accounts.ts";
import { updateLocalProfile } from "./profiles.ts";
import { jobsOf } from "../../jobs/admin.ts";

describe("profile updates", () => {
  let db: TestDatabase, alice: LocalUser;
  beforeAll(async () => {
    db = await createTestDatabase();
    alice = await createLocalUser(db.sql, "https://paris.example", { username: "alice" });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const updates = async () =>
    (await jobsOf(db.sql, "actor-update", { accountId: alice.account.id })).filter((j) => j.state === "created").length;

  it("queues one Update(Person) for a save that changes the account and the work profile together", async () => {
    await db.sql.begin(async (tx) => {
      await updateProfile(tx, alice.account.id, { displayName: "Alice Martin", bio: "RH" });
      await updateLocalProfile(tx, alice.account.id, { jobTitle: "Chargée de recrutement", department: "RH" });
    });
    expect(await updates()).toBe(1);
    // A second save while that Update still waits joins it: the Update is built from the profile at delivery.
    await updateProfile(db.sql, alice.account.id, { bio: "RH, Paris" });
    expect(await updates()).toBe(1);
    // Once a worker has taken it, the next save queues a new one.
    await db.sql.unsafe(`UPDATE pgboss.job_common SET state = 'active', started_on = now() WHERE name = 'actor-update'`);
    await updateProfile(db.sql, alice.account.id, { bio: "RH, Lyon" });
    expect(await updates()).toBe(1);
    expect((await jobsOf(db.sql, "actor-update", { accountId: alice.account.id })).length).toBe(2);
  });

  it("a failing work profile leaves the account part unsaved too", async () => {
    await expect(db.sql.begin(async (tx) => {
      await updateProfile(tx, alice.account.id, { displayName: "Never saved" });
      await updateLocalProfile(tx, alice.account.id, { workEmail: "not an e-mail" });
    })).rejects.toThrow();
    const [{ display_name }] = await db.sql`SELECT display_name FROM accounts WHERE id = ${alice.account.id}`;
    expect(display_name).toBe("Alice Martin");
  });
});
