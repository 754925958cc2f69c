// Public holidays that are days off, by country (ISO 3166 code). Only France is known so far: its eleven legal
// holidays (Code du travail L3133-1), the three movable ones from Easter (Easter Monday, Ascension, Whit Monday).
// Alsace-Moselle's two extra days and overseas departments' own are not included. Days are local day numbers
// (days since 1970-01-01 in the person's zone), as hold.ts counts them.

const DAY = 86_400_000;
const cache = new Map<string, Set<number>>();

/** Easter Sunday of `year` (anonymous Gregorian algorithm, Meeus/Jones/Butcher) as a day number. */
function easter(year: number): number {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day) / DAY;
}

function french(year: number): Set<number> {
  const fixed = [[1, 1], [5, 1], [5, 8], [7, 14], [8, 15], [11, 1], [11, 11], [12, 25]].map(([m, d]) => Date.UTC(year, m - 1, d) / DAY);
  const e = easter(year);
  return new Set([...fixed, e + 1, e + 39, e + 50]);
}

export const HOLIDAY_COUNTRIES = ["FR"] as const;

export function isPublicHoliday(country: string, day: number): boolean {
  if (country !== "FR") return false;
  const year = new Date(day * DAY).getUTCFullYear();
  const key = `${country}${year}`;
  let days = cache.get(key);
  if (!days) cache.set(key, days = french(year));
  return days.has(day);
}
