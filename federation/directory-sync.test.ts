// Sibling discovery between real instances over HTTPS: a new sibling's directory is pulled when it is added, profile
// edits reach siblings through Update(Person) + a signed refetch, and removing the sibling removes its internal data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestInstance, type TestInstance } from "../test/instance.ts";
import { findAccountByIri } from "../server/domain/accounts/accounts.ts";
import { getProfile, updateLocalProfile } from "../server/domain/profiles/profiles.ts";
import { searchDirectory } from "../server/domain/profiles/directory.ts";
import { removeSibling } from "../server/domain/instance/siblings.ts";

describe("sibling directory discovery", () => {
  let paris: TestInstance, lyon: TestInstance;
  beforeAll(async () => {
    [paris, lyon] = await Promise.all([startTestInstance({ name: "Paris" }), startTestInstance({ name: "Lyon" })]);
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("pulls Lyon's discoverable people when Lyon becomes a sibling, keeps them fresh, and forgets them on removal", async () => {
    // Lyon has people before the two instances know each other.
    const eloise = await lyon.createUser("eloise", { displayName: "Éloïse Lefèvre" });
    await updateLocalProfile(lyon.db.sql, eloise.account.id, {
      jobTitle: "Ingénieure plateforme", department: "Infrastructure", site: "Lyon Part-Dieu", workPhone: "+33 4 72 00 00 01",
      expertise: "Kubernetes, #Droit Social", career: [{ role: "SRE", organisation: "Acme Lyon", from: "2019-03", to: null }],
    });
    const hidden = await lyon.createUser("hidden");
    await lyon.db.sql`UPDATE accounts SET discoverable = false WHERE id = ${hidden.account.id}`;

    await lyon.addSibling(paris.origin);
    await paris.addSibling(lyon.origin); // the trigger queues the pull of Lyon's directory
    const iri = `${lyon.origin}/users/eloise`;
    const copy = await eventually(async () => {
      const a = await findAccountByIri(paris.db.sql, iri);
      const p = a ? await getProfile(paris.db.sql, a.id) : null;
      return p?.instanceName ? p : null; // the name comes from Lyon's NodeInfo, fetched by its own job
    }, 20_000, "Lyon's directory pulled into Paris");
    expect(copy).toMatchObject({
      jobTitle: "Ingénieure plateforme", department: "Infrastructure", workPhone: "+33 4 72 00 00 01",
      expertise: ["kubernetes", "droit-social"], instanceName: "Lyon", scope: "internal", fromSibling: true,
    });
    expect(copy.career).toEqual([{ role: "SRE", organisation: "Acme Lyon", from: "2019-03", to: null }]);
    // Accent-insensitive search over the sibling's people.
    expect((await searchDirectory(paris.db.sql, { q: "eloise" }, "internal")).map((e) => e.account.iri)).toEqual([iri]);
    expect(await searchDirectory(paris.db.sql, { q: "hidden" }, "internal")).toEqual([]);

    // An edit on Lyon reaches Paris through Update(Person) and a signed refetch.
    await updateLocalProfile(lyon.db.sql, eloise.account.id, { expertise: ["kubernetes", "terraform"] });
    await eventually(async () => (await searchDirectory(paris.db.sql, { knows: "terraform" }, "internal")).length === 1, 15_000, "the update on Paris");

    await removeSibling(paris.db.sql, lyon.origin);
    const account = await findAccountByIri(paris.db.sql, iri);
    expect(await getProfile(paris.db.sql, account!.id)).toBeNull();
    expect(await searchDirectory(paris.db.sql, { q: "eloise" }, "internal")).toEqual([]);
  });
});
