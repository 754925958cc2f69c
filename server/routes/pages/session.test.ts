// The `next` parameter read after sign-in and forms stays on this site (issue #8, point 25: open redirect).
import { describe, expect, it } from "vitest";
import { safeNext } from "./session.ts";

describe("safeNext", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeNext("/posts/12?reply=1#end")).toBe("/posts/12?reply=1#end");
    expect(safeNext("/@alice")).toBe("/@alice");
  });

  it("refuses every way of reaching another site", () => {
    for (const evil of ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "/\r\n//evil.example",
      "https://evil.example", "evil.example", "/ /evil.example".replace(" ", "\u0000"), "", 42, undefined]) {
      expect(safeNext(evil), JSON.stringify(evil)).toBe("/");
    }
    // What a browser makes of the tab trick, for the record: another origin.
    expect(new URL("/\t/evil.example", "https://paris.example").origin).toBe("https://evil.example");
  });
});
