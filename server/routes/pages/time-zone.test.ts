// Times in the reader's time zone (issue #8 point 16): the browser's zone, sent with the sign-in form (or its cookie),
// becomes the account's unless the person chose one; an unknown zone is refused with a message, never stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { signInOverHttp } from "../../../test/web-session.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { findLocalUserById } from "../../domain/accounts/accounts.ts";

describe("the reader's time zone", () => {
  let inst: TestInstance, postPath: string, aliceId: string, bobId: string;
  beforeAll(async () => {
    inst = await startTestInstance({ name: "Paris" });
    aliceId = (await inst.createUser("alice", { password: "alice-password-1" })).account.id;
    bobId = (await inst.createUser("bob", { password: "bob-password-12" })).account.id;
    const post = await createPost(inst.db.sql, inst.origin, aliceId, { text: "Point d'équipe" });
    await inst.db.sql`UPDATE posts SET created_at = '2026-12-03T17:50:00Z' WHERE id = ${post.id}`;
    postPath = `/@alice/${post.id}`;
  });
  afterAll(async () => {
    await inst?.close();
  });

  const shownTime = async (page: Response) => /<time datetime="2026-12-03T17:50:00.000Z" title="([^"]+)"/.exec(await page.text())?.[1];

  it("comes from the browser at sign-in, never overrides a choice, and can be chosen; an unknown one is refused", async () => {
    const alice = await signInOverHttp(inst.origin, "alice", "alice-password-1", { time_zone: "Europe/Paris" });
    expect((await findLocalUserById(inst.db.sql, aliceId))?.timeZone).toBe("Europe/Paris");
    expect(await shownTime(await alice.get(postPath))).toBe("jeudi 3 décembre 2026 à 18:50 UTC+1");

    // Signing in from a browser elsewhere does not change a zone already set.
    await signInOverHttp(inst.origin, "alice", "alice-password-1", { time_zone: "America/New_York" });
    expect((await findLocalUserById(inst.db.sql, aliceId))?.timeZone).toBe("Europe/Paris");

    const refused = await alice.post("/settings/time-zone", { timeZone: "Nowhere/Atlantis" });
    expect(refused.status).toBe(422);
    const body = await refused.text();
    expect(body).toContain("Fuseau horaire inconnu");
    expect(body).toContain('<option value="Asia/Tokyo">Asia/Tokyo</option>');
    expect((await findLocalUserById(inst.db.sql, aliceId))?.timeZone).toBe("Europe/Paris");

    expect((await alice.post("/settings/time-zone", { timeZone: "Asia/Tokyo" })).status).toBe(303);
    expect(await shownTime(await alice.get(postPath))).toMatch(/^vendredi 4 décembre 2026 à 02:50 UTC\+9$/);
  });

  it("is UTC, and says so, until the browser tells it; its cookie then sets it", async () => {
    const bob = await signInOverHttp(inst.origin, "bob", "bob-password-12", { time_zone: "Mars/Olympus_Mons" });
    expect((await findLocalUserById(inst.db.sql, bobId))?.timeZone).toBeNull();
    expect(await shownTime(await bob.get(postPath))).toBe("jeudi 3 décembre 2026 à 17:50 UTC");
    const withCookie = await fetch(`${inst.origin}${postPath}`, { headers: { Cookie: `${bob.cookie}; ruche_tz=Europe%2FParis` } });
    expect(await shownTime(withCookie)).toBe("jeudi 3 décembre 2026 à 18:50 UTC+1");
    expect((await findLocalUserById(inst.db.sql, bobId))?.timeZone).toBe("Europe/Paris");
  });
});
