// A new employee's empty home (issue #8 point 18): what their profile lacks, colleagues of their department and site
// to follow with buttons that work without JavaScript, and the week's hashtags among the posts they may read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";
import { signInOverHttp } from "../../../test/web-session.ts";
import { createPost } from "../../domain/posts/posts.ts";
import { updateLocalProfile } from "../../domain/profiles/profiles.ts";
import { followCounts } from "../../domain/follows/follows.ts";

describe("the onboarding of an empty home", () => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await startTestInstance({ name: "Paris" });
  });
  afterAll(async () => {
    await inst?.close();
  });

  const person = async (username: string, displayName: string, profile: { department: string; site: string; jobTitle?: string }) => {
    const u = await inst.createUser(username, { displayName, password: `${username}-password-1` });
    await updateLocalProfile(inst.db.sql, u.account.id, profile);
    return u;
  };
  const section = (html: string, id: string) => new RegExp(`<section class="onboarding-step" aria-labelledby="${id}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? "";

  it("lists the missing profile fields, same-department-and-site colleagues first, and only readable hashtags", async () => {
    const nina = await person("nina", "", { department: "Finance", site: "Lyon" });
    const lea = await person("lea", "Léa Martin", { department: "finance", site: "Lyon", jobTitle: "Comptable" });
    await person("marc", "Marc Petit", { department: "Finance", site: "Paris" });
    await person("zoe", "Zoé Roux", { department: "Ventes", site: "Lyon" });
    const sam = await person("sam", "Sam Noir", { department: "Ventes", site: "Paris" });
    await createPost(inst.db.sql, inst.origin, lea.account.id, { text: "Clôture #budget", visibility: "internal" });
    await createPost(inst.db.sql, inst.origin, sam.account.id, { text: "Aussi #budget et #cantine", visibility: "public" });
    await createPost(inst.db.sql, inst.origin, sam.account.id, { text: "Entre abonnés #confidentiel", visibility: "followers" });
    await createPost(inst.db.sql, inst.origin, sam.account.id, { text: "@lea #secretdirect", visibility: "direct" });

    const session = await signInOverHttp(inst.origin, "nina", "nina-password-1");
    const home = await (await session.get("/")).text();
    expect(home).toContain("Bienvenue sur Ruche");
    const missing = [...section(home, "onboarding-profile").matchAll(/<a href="\/settings\/profile#(\w+)">/g)].map((m) => m[1]);
    expect(missing).toEqual(["displayName", "avatar", "bio", "jobTitle", "expertise"]);

    const colleagues = section(home, "onboarding-colleagues");
    const names = [...colleagues.matchAll(/<bdi class="display-name">([^<]+)<\/bdi>/g)].map((m) => m[1]);
    expect(names).toEqual(["Léa Martin", "Marc Petit", "Zoé Roux"]);
    expect(colleagues).toContain("Comptable");
    expect(colleagues).toContain("Même service et même site");

    const tags = [...section(home, "onboarding-tags").matchAll(/href="\/tags\/(\w+)"/g)].map((m) => m[1]);
    expect(tags).toEqual(["budget", "cantine"]);

    // Following Léa with the button, without JavaScript: a POST form that comes back home.
    const form = /<form method="post" action="(\/@lea\/follow)"[\s\S]*?name="next" value="([^"]+)"/.exec(colleagues);
    expect(form?.slice(1)).toEqual(["/@lea/follow", "/"]);
    const res = await session.post(form![1], { next: form![2] });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    expect((await followCounts(inst.db.sql, nina.account.id)).following).toBe(1);
    // Léa's post now fills the home: the welcome gives way to the timeline.
    const after = await (await session.get("/")).text();
    expect(after).not.toContain("Bienvenue sur Ruche");
    expect(after).toContain("Clôture");
  });
});
