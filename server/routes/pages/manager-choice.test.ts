// Choosing oneself, or someone who reports to one, as manager is a field error in the person's language on the
// settings form and a 422 naming the field in the API — never a 500 (issue #8 point 6).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { formClient } from "../../../test/web-form.ts";
import { getProfile, updateLocalProfile } from "../../domain/profiles/profiles.ts";

describe("choosing a manager who cannot be one", () => {
  let paris: TestInstance, alice: Awaited<ReturnType<TestInstance["createUser"]>>;
  beforeAll(async () => {
    paris = await startTestInstance({ name: "Paris" });
    alice = await paris.createUser("alice", { password: "alice-password-1" });
    const bob = await paris.createUser("bob");
    const carol = await paris.createUser("carol");
    // carol reports to bob, who reports to alice.
    await updateLocalProfile(paris.db.sql, bob.account.id, { manager: alice.account.iri });
    await updateLocalProfile(paris.db.sql, carol.account.id, { manager: bob.account.iri });
  }, 60_000);
  afterAll(async () => {
    await paris?.close();
  });

  it("the settings form answers 422 with the message next to the manager field, in French, and saves nothing", async () => {
    const browser = formClient(paris.url);
    await browser.get("/login");
    expect((await browser.post("/login", { username: "alice", password: "alice-password-1" })).status).toBe(303);
    await browser.get("/settings/profile");
    const self = await browser.post("/settings/profile", { displayName: "Alice Changed", bio: "", manager: "alice", jobTitle: "DRH" });
    expect(self.status).toBe(422);
    expect(self.html).toContain("Vous ne pouvez pas être votre propre responsable.");
    expect(self.html).toMatch(/id="manager-error"[^>]*>Vous ne pouvez pas/);
    const loop = await browser.post("/settings/profile", { displayName: "Alice Changed", bio: "", manager: "carol", jobTitle: "DRH" });
    expect(loop.status).toBe(422);
    expect(loop.html).toContain("Cette personne vous est rattachée (directement ou non)\u00a0: elle ne peut pas être votre responsable.");
    expect(loop.html).toContain('value="carol"'); // what was typed is kept
    expect((await getProfile(paris.db.sql, alice.account.id))?.manager).toBeNull();
    const [row] = await paris.db.sql`SELECT display_name FROM accounts WHERE id = ${alice.account.id}`;
    expect(row.display_name).toBe(""); // the account part of the form was not saved either
  });

  it("the API answers 422 naming the manager field", async () => {
    for (const [manager, pattern] of [["alice", /own manager/], ["carol", /reports/]] as const) {
      const res = await fetch(`${paris.url}/api/ruche/v1/profiles/me`, {
        method: "PATCH", headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
        body: JSON.stringify({ manager }),
      });
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(Object.keys(body.details)).toEqual(["manager"]);
      expect(body.details.manager[0].description).toMatch(pattern);
    }
  });
});
