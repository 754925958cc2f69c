// Followers and following pages follow the API's rule: signed-out visitors are sent to sign in (issue #8, point 28).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../../test/instance.ts";

describe("social graph pages", () => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await startTestInstance({ name: "Paris" });
    await inst.createUser("alice");
  });
  afterAll(async () => {
    await inst?.close();
  });

  it("send signed-out visitors to the sign-in page, and back afterwards", async () => {
    for (const which of ["followers", "following"]) {
      const res = await fetch(`${inst.origin}/@alice/${which}`, { redirect: "manual", headers: { Accept: "text/html" } });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/login?next=${encodeURIComponent(`/@alice/${which}`)}`);
    }
  });
});
