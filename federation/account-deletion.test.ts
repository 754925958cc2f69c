// Account deletion between two real sibling instances over HTTPS, signatures on (issue #16 point 3, "a deleted Lyon
// account disappears from Paris"): Bob asks, may cancel during the grace period, and when it is due (the test drives
// the clock) his posts, avatar and follows go, Delete(Person) reaches Paris, which removes him; his name stays
// reserved; a week later his shell goes too. The last administrator cannot leave.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, signedFetchStatus, startSiblings, type TestInstance } from "../test/instance.ts";
import { png } from "../test/png.ts";
import { createLocalUser, findAccountByIri } from "../server/domain/accounts/accounts.ts";
import { eraseAccount, purgeAccount, requestDeletion } from "../server/domain/accounts/deletion.ts";
import { follow } from "../server/domain/follows/follows.ts";
import { saveImageUpload } from "../server/domain/media/media.ts";
import { postIdByIri } from "../server/domain/posts/post-views.ts";
import { createPost } from "../server/domain/posts/posts.ts";
import { resolveHandle } from "./remote-actors.ts";

function api(inst: TestInstance, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${inst.url}${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as any };
  };
}

describe("account deletion across siblings", () => {
  let paris: TestInstance, lyon: TestInstance;
  beforeAll(async () => {
    [paris, lyon] = await startSiblings("Paris", "Lyon");
  });
  afterAll(async () => {
    await Promise.all([paris?.close(), lyon?.close()]);
  });

  it("Bob's deletion: grace period and cancel, then erased on Lyon and gone from Paris; his name stays reserved", async () => {
    const bob = await lyon.createUser("bob", { displayName: "Bob Durand" });
    const alice = await paris.createUser("alice");
    await lyon.createUser("chef", { admin: true }); // an administrator stays
    const avatar = await saveImageUpload(lyon.db.sql, lyon.dataDir, bob.account.id, "avatar", png(64, 64));
    await lyon.db.sql`UPDATE accounts SET avatar_url = ${avatar} WHERE id = ${bob.account.id}`;
    const bobAtParis = (await resolveHandle(paris.instance.context(), `@bob@${lyon.host}`))!;
    await follow(paris.db.sql, paris.origin, alice.account.id, bobAtParis.id);
    const post = await createPost(lyon.db.sql, lyon.origin, bob.account.id, { text: "Bientôt je pars", visibility: "internal" });
    await eventually(() => postIdByIri(paris.db.sql, post.iri), 15_000, "Bob's post on Paris");

    const bobApi = api(lyon, bob.token);
    // A stray call does not delete anything: the username must be typed.
    expect((await bobApi("POST", "/api/ruche/v1/me/deletion", {})).status).toBe(422);
    const asked = await bobApi("POST", "/api/ruche/v1/me/deletion", { confirm: "bob" });
    expect(asked.status).toBe(200);
    const due = new Date(asked.json.due_at);
    expect(due.getTime() - Date.now()).toBeGreaterThan(13 * 86_400_000); // the default grace: 14 days
    expect((await bobApi("GET", "/api/ruche/v1/me/deletion")).json.due_at).toBe(asked.json.due_at);
    // He changes his mind: the job queued for that date finds nothing due.
    expect((await bobApi("DELETE", "/api/ruche/v1/me/deletion")).status).toBe(200);
    expect(await eraseAccount(lyon.db.sql, lyon.dataDir, bob.account.id, asked.json.due_at, new Date(due.getTime() + 1000))).toBe(false);
    expect(await postIdByIri(lyon.db.sql, post.iri)).toBe(post.id);

    // He asks again; at the due date (the clock driven), the erasure runs.
    const again = await requestDeletion(lyon.db.sql, bob.account.id, { graceDays: 14 });
    expect(await eraseAccount(lyon.db.sql, lyon.dataDir, bob.account.id, again.dueAt.toISOString(), new Date(again.dueAt.getTime() - 1000))).toBe(false); // not yet
    expect(await eraseAccount(lyon.db.sql, lyon.dataDir, bob.account.id, again.dueAt.toISOString(), new Date(again.dueAt.getTime() + 1000))).toBe(true);
    expect(await postIdByIri(lyon.db.sql, post.iri)).toBeNull();
    expect((await lyon.db.sql`SELECT account_id FROM tombstones WHERE iri = ${post.iri}`)[0]).toEqual({ account_id: null });
    expect(existsSync(join(lyon.dataDir, avatar))).toBe(false);
    expect((await lyon.db.sql`SELECT count(*)::int AS n FROM media WHERE account_id = ${bob.account.id}`)[0].n).toBe(0);
    expect((await bobApi("GET", "/api/v1/accounts/verify_credentials")).status).toBe(401);
    // The shell still shows the key Paris verifies the Delete with.
    expect(await signedFetchStatus(paris, bob.account.iri)).toBe(200);

    // Paris removes him: account, posts, follow.
    await eventually(async () => (await findAccountByIri(paris.db.sql, bob.account.iri)) === null, 20_000, "Bob gone from Paris");
    expect(await postIdByIri(paris.db.sql, post.iri)).toBeNull();
    expect((await paris.db.sql`SELECT account_id FROM tombstones WHERE iri = ${bob.account.iri}`)[0]).toEqual({ account_id: null });

    // His name is not given to someone else.
    await expect(createLocalUser(lyon.db.sql, lyon.origin, { username: "bob" })).rejects.toMatchObject({ code: "username_taken" });
    // A week later the shell goes.
    expect(await purgeAccount(lyon.db.sql, bob.account.id)).toBe(true);
    expect(await signedFetchStatus(paris, bob.account.iri)).not.toBe(200);
  });

  it("the last administrator cannot delete their account", async () => {
    const solo = await paris.createUser("seule", { admin: true });
    const r = await api(paris, solo.token)("POST", "/api/ruche/v1/me/deletion", { confirm: "seule" });
    expect(r.status).toBe(422);
    expect(r.json.error).toContain("last administrator");
    expect((await paris.db.sql`SELECT deletion_due_at FROM users WHERE account_id = ${solo.account.id}`)[0].deletion_due_at).toBeNull();
  });
});
