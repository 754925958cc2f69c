import { describe, expect, it } from "vitest";
import { initials } from "./avatar.ts";

describe("initials", () => {
  it("takes the first letters of the first and last words", () => {
    expect(initials("Léa Martin")).toBe("LM");
    expect(initials("jean-pierre de la fontaine")).toBe("JF");
    expect(initials("camille")).toBe("C");
  });

  it("keeps an accented letter or an emoji whole", () => {
    expect(initials("élodie")).toBe("É");
    expect(initials("e\u0301lodie")).toBe("E\u0301");
    expect(initials("🐝 Ruche")).toBe("🐝R");
  });

  it("skips punctuation and invisible bidi controls", () => {
    expect(initials("X <script>")).toBe("XS");
    expect(initials("\u202Eevil")).toBe("E");
    expect(initials("(Léa)")).toBe("L");
  });

  it("shows a question mark when nothing is usable", () => {
    expect(initials("")).toBe("?");
    expect(initials("<> --")).toBe("?");
  });
});
