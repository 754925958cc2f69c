// The one rule for profile fields, viewer by viewer (issue #8 points 1 and 26). The read paths that use it are
// tested between real instances in federation/profile-privacy.test.ts.
import { describe, expect, it } from "vitest";
import { EMPTY_PROFILE } from "./profile-validation.ts";
import { profileAudienceOf, visibleProfile } from "./profile-visibility.ts";
import type { StoredProfile } from "./profiles.ts";

const stored = (over: Partial<StoredProfile>): StoredProfile => ({
  ...EMPTY_PROFILE, accountId: "1", remoteFields: [], instanceName: "", scope: "internal", fromSibling: false, updatedAt: new Date(), ...over,
});

describe("who reads which profile field", () => {
  it("employees here and at siblings read internal fields; visitors and other servers the public ones", () => {
    expect(profileAudienceOf({ kind: "local", accountId: "1" })).toBe("internal");
    expect(profileAudienceOf({ kind: "remote", accountId: null, domain: "lyon.example", sibling: true, instanceActor: true })).toBe("internal");
    expect(profileAudienceOf({ kind: "remote", accountId: "9", domain: "other.example", sibling: false, instanceActor: false })).toBe("public");
    expect(profileAudienceOf({ kind: "anonymous" })).toBe("public");
  });

  it("cuts a local profile, bio included, to what its owner made public", () => {
    const local = { domain: null, bioHtml: "<p>bio</p>", bioAudience: "public" as const };
    const p = stored({ department: "Juridique", site: "La Défense", visibility: { site: "public" } });
    expect(visibleProfile(local, p, "public")).toMatchObject({ bioHtml: "", profile: { department: "", site: "La Défense" } });
    expect(visibleProfile(local, p, "internal")).toMatchObject({ bioHtml: "<p>bio</p>", profile: { department: "Juridique" } });
    expect(visibleProfile(local, { ...p, visibility: { bio: "public" } }, "public").bioHtml).toBe("<p>bio</p>");
  });

  it("shows a remote profile to the audience its server gave it to", () => {
    const fields = [{ name: "Phone", value: "+33 4" }];
    const internal = stored({ department: "Achats", remoteFields: fields, scope: "internal", fromSibling: true });
    const sibling = { domain: "lyon.example", bioHtml: "<p>interne</p>", bioAudience: "internal" as const };
    expect(visibleProfile(sibling, internal, "public")).toEqual({ bioHtml: "", profile: null, remoteFields: [] });
    expect(visibleProfile(sibling, internal, "internal")).toMatchObject({ bioHtml: "<p>interne</p>", profile: { department: "Achats" }, remoteFields: fields });
    const publicCopy = stored({ jobTitle: "SRE", remoteFields: fields, scope: "public" });
    const fediverse = { domain: "mastodon.example", bioHtml: "<p>hello</p>", bioAudience: "public" as const };
    expect(visibleProfile(fediverse, publicCopy, "public")).toMatchObject({ bioHtml: "<p>hello</p>", profile: { jobTitle: "SRE" }, remoteFields: fields });
  });
});
