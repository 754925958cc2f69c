// Availability in words, in the reader's language and zone (issue #15): the issue's own examples.
import { describe, expect, it } from "vitest";
import { availabilityText, clockTime } from "./availability.ts";

// Friday 4 December 2026, 06:00 in Paris (05:00 UTC).
const now = new Date(Date.UTC(2026, 11, 4, 5, 0));
const paris = "Europe/Paris";

describe("availability text", () => {
  it("off hours until later today, tomorrow, another day; in French and English", () => {
    const today = { state: "off_hours" as const, until: new Date(Date.UTC(2026, 11, 4, 7, 30)), leaveEnds: null, timeZone: paris };
    expect(availabilityText("fr", today, now, paris)).toBe("hors horaires jusqu'à 8 h 30");
    expect(availabilityText("en", today, now, paris)).toBe("off hours until 08:30");
    const monday = { ...today, until: new Date(Date.UTC(2026, 11, 7, 8, 0)) };
    expect(availabilityText("fr", monday, now, paris)).toBe("hors horaires jusqu'à lundi 9 h");
    expect(availabilityText("en", monday, now, paris)).toBe("off hours until Monday 09:00");
    const tomorrow = { ...today, until: new Date(Date.UTC(2026, 11, 5, 8, 0)) };
    expect(availabilityText("fr", tomorrow, now, paris)).toBe("hors horaires jusqu'à demain 9 h");
  });

  it("in the reader's zone: Montreal reads Paris Bob's 8:30 as 2 h 30", () => {
    const a = { state: "off_hours" as const, until: new Date(Date.UTC(2026, 11, 4, 7, 30)), leaveEnds: null, timeZone: paris };
    expect(availabilityText("fr", a, now, "America/Montreal")).toBe("hors horaires jusqu'à 2 h 30");
    expect(clockTime("fr", a.until, paris)).toBe("8 h 30");
  });

  it("on leave until the 12th; nothing while at work", () => {
    const leave = { state: "leave" as const, until: new Date(Date.UTC(2026, 11, 14, 8)), leaveEnds: "2026-12-12", timeZone: paris };
    expect(availabilityText("fr", leave, now, paris)).toBe("en congé jusqu'au 12");
    expect(availabilityText("en", leave, now, paris)).toBe("on leave until December 12");
    expect(availabilityText("fr", { ...leave, leaveEnds: "2027-01-05" }, now, paris)).toBe("en congé jusqu'au 5 janvier");
    expect(availabilityText("fr", { state: "working", until: null, leaveEnds: null, timeZone: paris }, now, paris)).toBeNull();
  });
});
