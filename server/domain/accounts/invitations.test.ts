// Invitation links and passwords (issue #8 point 5): people imported without a password choose one through a
// one-time, expiring link whose token is never stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db.ts";
import { authenticate, createLocalUser, disableUser, type LocalUser } from "./accounts.ts";
import { acceptInvitation, createInvitation, findInvitation, inviteUser } from "./invitations.ts";
import { changePassword, setPassword } from "./passwords.ts";
import { createSession, readSession } from "./tokens.ts";
import { DomainError } from "../errors.ts";

const ORIGIN = "https://paris.example";
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : String(e)));

describe("invitations", () => {
  let db: TestDatabase, camille: LocalUser;
  beforeAll(async () => {
    db = await createTestDatabase();
    camille = await createLocalUser(db.sql, ORIGIN, { username: "camille", deferKeys: true }); // as the CSV import does
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("lets an imported person choose a password once, through a link whose token is not stored", async () => {
    expect(await authenticate(db.sql, "camille", "anything-at-all")).toBeNull();
    const inv = await inviteUser(db.sql, ORIGIN, "Camille");
    expect(inv.url).toBe(`${ORIGIN}/invitation/${inv.token}`);
    expect(inv.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const stored = await db.sql`SELECT token_hash FROM invitations`;
    expect(stored.map((r) => r.token_hash)).not.toContain(inv.token);
    expect(await findInvitation(db.sql, inv.token)).toMatchObject({ accountId: camille.account.id, username: "camille" });

    // A refused password does not use the link up.
    expect(await codeOf(acceptInvitation(db.sql, inv.token, "short"))).toBe("password_too_short");
    expect(await findInvitation(db.sql, inv.token)).not.toBeNull();

    expect(await acceptInvitation(db.sql, inv.token, "camille-password")).toEqual({ accountId: camille.account.id });
    expect(await authenticate(db.sql, "camille", "camille-password")).toMatchObject({ account: { username: "camille" } });
    expect(await findInvitation(db.sql, inv.token)).toBeNull();
    expect(await codeOf(acceptInvitation(db.sql, inv.token, "another-password"))).toBe("invitation_invalid");
    expect(await authenticate(db.sql, "camille", "camille-password")).not.toBeNull();
  });

  it("works only until it expires, only as the latest link, and not for a disabled account", async () => {
    const first = await createInvitation(db.sql, ORIGIN, camille.account.id);
    const second = await createInvitation(db.sql, ORIGIN, camille.account.id);
    expect(await findInvitation(db.sql, first.token)).toBeNull();
    expect(await codeOf(acceptInvitation(db.sql, first.token, "replaced-password"))).toBe("invitation_invalid");
    await db.sql`UPDATE invitations SET expires_at = now() - interval '1 second'`;
    expect(await findInvitation(db.sql, second.token)).toBeNull();
    expect(await codeOf(acceptInvitation(db.sql, second.token, "expired-password"))).toBe("invitation_invalid");
    expect(await codeOf(acceptInvitation(db.sql, "not-a-token", "some-password"))).toBe("invitation_invalid");

    const dana = await createLocalUser(db.sql, ORIGIN, { username: "dana" });
    const third = await createInvitation(db.sql, ORIGIN, dana.account.id);
    await disableUser(db.sql, "dana");
    expect(await findInvitation(db.sql, third.token)).toBeNull();
    expect(await codeOf(acceptInvitation(db.sql, third.token, "disabled-password"))).toBe("invitation_invalid");
    expect(await codeOf(inviteUser(db.sql, ORIGIN, "dana"))).toBe("disabled");
    expect(await codeOf(inviteUser(db.sql, ORIGIN, "nobody"))).toBe("not_found");
  });

  it("a new password ends the other sessions; a change needs the current password", async () => {
    const kept = await createSession(db.sql, camille.account.id);
    const other = await createSession(db.sql, camille.account.id);
    expect(await codeOf(changePassword(db.sql, camille.account.id, "not-the-password", "camille-password-2"))).toBe("wrong_password");
    expect(await readSession(db.sql, other.cookie)).not.toBeNull();
    await changePassword(db.sql, camille.account.id, "camille-password", "camille-password-2", { keepSession: kept.cookie });
    expect(await readSession(db.sql, kept.cookie)).not.toBeNull();
    expect(await readSession(db.sql, other.cookie)).toBeNull();
    expect(await authenticate(db.sql, "camille", "camille-password")).toBeNull();
    await setPassword(db.sql, camille.account.id, "reset-by-admin");
    expect(await readSession(db.sql, kept.cookie)).toBeNull();
    expect(await authenticate(db.sql, "camille", "reset-by-admin")).not.toBeNull();
    expect(await codeOf(setPassword(db.sql, camille.account.id, "x".repeat(300)))).toBe("password_too_long");
  });
});
