// The quiet-time rule alone: Bob works 9:00–17:30 Monday to Friday in Paris.
import { describe, expect, it } from "vitest";
import { dayNumber, decide, type WorkSchedule } from "./hold.ts";
import { parseSchedule } from "./schedules.ts";
import { DomainError } from "../errors.ts";

const week = { mon: [[540, 1050]], tue: [[540, 1050]], wed: [[540, 1050]], thu: [[540, 1050]], fri: [[540, 1050]] } as const;
const bob: WorkSchedule = { timeZone: "Europe/Paris", days: week, country: null, leaves: [] };
// Thursday 3 December 2026; Paris is UTC+1 in winter.
const paris = (d: number, h: number, m = 0) => Date.UTC(2026, 11, d, h - 1, m);

describe("deliver now or hold", () => {
  it("delivers during working hours, start included and end excluded", () => {
    expect(decide(bob, paris(3, 9))).toEqual({ deliver: true });
    expect(decide(bob, paris(3, 17, 29))).toEqual({ deliver: true });
    expect(decide(bob, paris(3, 17, 30))).toMatchObject({ deliver: false, until: new Date(paris(4, 9)), reason: "off_hours" });
  });

  it("holds at 22:00 until 9:00 the next morning, and over the weekend until Monday", () => {
    expect(decide(bob, paris(3, 22))).toEqual({ deliver: false, until: new Date(paris(4, 9)), reason: "off_hours" });
    expect(decide(bob, paris(4, 18))).toMatchObject({ until: new Date(paris(7, 9)) });
    expect(decide(bob, paris(3, 7))).toMatchObject({ until: new Date(paris(3, 9)) });
  });

  it("no schedule, or an urgent message: delivered at once", () => {
    expect(decide(null, paris(3, 22))).toEqual({ deliver: true });
    expect(decide(bob, paris(3, 22), true)).toEqual({ deliver: true });
  });

  it("leave holds until the first working day after it, and says when it ends", () => {
    const away = { ...bob, leaves: [{ first: dayNumber("2026-12-03"), last: dayNumber("2026-12-08") }] };
    expect(decide(away, paris(3, 10))).toEqual({ deliver: false, until: new Date(paris(9, 9)), reason: "leave", leaveEnds: dayNumber("2026-12-08") });
  });

  it("French public holidays are off when the schedule names France (Christmas, Easter Monday)", () => {
    const fr = { ...bob, country: "FR" };
    expect(decide(fr, paris(25, 10))).toMatchObject({ deliver: false, reason: "holiday", until: new Date(paris(28, 9)) });
    // Easter Monday 2027 is 29 March (Paris is UTC+2 then).
    expect(decide(fr, Date.UTC(2027, 2, 29, 8))).toMatchObject({ deliver: false, reason: "holiday", until: new Date(Date.UTC(2027, 2, 30, 7)) });
  });

  it("across the spring DST change the next start is 9:00 local time", () => {
    // Saturday 27 March 2027 evening → Monday 29 is Easter Monday but no country here → 9:00 CEST = 07:00 UTC.
    expect(decide(bob, Date.UTC(2027, 2, 27, 20))).toMatchObject({ until: new Date(Date.UTC(2027, 2, 29, 7)) });
  });
});

describe("schedule validation", () => {
  const refusal = (input: unknown) => {
    try {
      parseSchedule(input);
    } catch (e) {
      return (e as DomainError).code;
    }
    return null;
  };
  it("accepts the API's shape and refuses bad input with a clear code", () => {
    expect(parseSchedule({ timezone: "Europe/Paris", days: { mon: [["09:00", "12:00"], ["13:30", "17:30"]] } }).days.mon).toEqual([[540, 720], [810, 1050]]);
    expect(refusal({ timezone: "Europe/Pariss", days: {} })).toBe("unknown_time_zone");
    expect(refusal({ timezone: "Europe/Paris", days: { mon: [["17:30", "09:00"]] } })).toBe("range_end_before_start");
    expect(refusal({ timezone: "Europe/Paris", days: { mon: [["09:00", "13:00"], ["12:00", "17:00"]] } })).toBe("ranges_overlap");
    expect(refusal({ timezone: "Europe/Paris", days: { mon: [["9h", "17:00"]] } })).toBe("invalid_time");
    expect(refusal({ timezone: "Europe/Paris", days: { funday: [] } })).toBe("unknown_day");
    expect(refusal({ timezone: "Europe/Paris", days: {}, country: "XX" })).toBe("unknown_country");
  });
});
