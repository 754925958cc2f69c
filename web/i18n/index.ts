// Locale negotiation and message lookup. Every user-visible string of the web UI goes through `t()`
// or `plural()`, with keys checked against the English catalog at compile time.
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import type { Catalog } from "./en.ts";

export type Locale = "fr" | "en";
export const locales: readonly Locale[] = ["fr", "en"];
export const defaultLocale: Locale = "fr";

export type MessageKey = keyof typeof en;

const catalogs: Record<Locale, Catalog> = { fr, en };

/** The names between braces in a message: `"Hello {name}"` → `"name"`. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;

/** The parameters a key needs, read from its English text. */
export type MessageParams<K extends MessageKey> = Record<Placeholders<(typeof en)[K]>, string | number>;

type ParamsArgument<K extends MessageKey> = [Placeholders<(typeof en)[K]>] extends [never]
  ? []
  : [params: MessageParams<K>];

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** `fr-CA`, `FR`, `fr_FR` → `"fr"`; anything we do not speak → null. */
function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : null;
}

// A header is attacker-controlled: only look at a bounded prefix of it.
const MAX_HEADER_LENGTH = 1024;
const MAX_RANGES = 32;

/**
 * The locale of a page: the user's saved setting wins, then the best supported language of the
 * `Accept-Language` header by q-value (ties keep header order), then French.
 */
export function negotiateLocale(
  acceptLanguage: string | null | undefined,
  userSetting?: string | null,
): Locale {
  const saved = matchLocale(userSetting);
  if (saved) return saved;
  if (!acceptLanguage) return defaultLocale;

  const ranges: { tag: string; q: number }[] = [];
  for (const part of acceptLanguage.slice(0, MAX_HEADER_LENGTH).split(",").slice(0, MAX_RANGES)) {
    const [rawTag, ...rawParams] = part.split(";");
    const tag = rawTag.trim();
    if (tag === "") continue;
    let q = 1;
    for (const param of rawParams) {
      const m = /^\s*q\s*=\s*(.*?)\s*$/i.exec(param);
      // RFC 9110 qvalue: 0, 0.5, 1, 1.000 — anything else makes the range malformed, and it is ignored.
      if (m) q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(m[1]) ? Number(m[1]) : Number.NaN;
    }
    if (Number.isNaN(q)) continue;
    ranges.push({ tag, q });
  }

  // q=0 means "not acceptable", which matters for the `*` wildcard below.
  const refused = new Set(ranges.filter((r) => r.q === 0).map((r) => matchLocale(r.tag)));
  const wanted = ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q); // sort is stable
  for (const { tag } of wanted) {
    if (tag === "*") {
      const any = [defaultLocale, ...locales].find((l) => !refused.has(l));
      if (any) return any;
      continue;
    }
    const locale = matchLocale(tag);
    if (locale && !refused.has(locale)) return locale;
  }
  return defaultLocale;
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
function formatNumber(locale: Locale, n: number): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(n);
}

function interpolate(locale: Locale, text: string, params: Record<string, string | number> | undefined) {
  if (!params) return text;
  // An unknown `{name}` stays visible, so a forgotten parameter shows on screen instead of vanishing.
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = params[name];
    return typeof value === "number" ? formatNumber(locale, value) : value;
  });
}

/** The message `key` in `locale`, with `{name}` parameters filled in (numbers formatted for the locale). */
export function t<K extends MessageKey>(locale: Locale, key: K, ...params: ParamsArgument<K>): string {
  return interpolate(locale, catalogs[locale][key], params[0]);
}

/**
 * Like `t()`, but parameters may be rich values (Preact nodes): the message comes back as a list of
 * strings and those values, in the order the translation puts them. Used to wrap a name in <bdi>
 * inside a sentence without cutting the sentence into separately translated pieces.
 */
export function tParts<K extends MessageKey, T>(
  locale: Locale,
  key: K,
  params: Record<Placeholders<(typeof en)[K]>, T | string | number>,
): (T | string)[] {
  const values: Record<string, unknown> = params;
  const parts: (T | string)[] = [];
  for (const [i, piece] of catalogs[locale][key].split(/\{(\w+)\}/).entries()) {
    if (i % 2 === 0) {
      if (piece !== "") parts.push(piece);
    } else if (Object.hasOwn(values, piece)) {
      const value = values[piece] as T | string | number;
      parts.push(typeof value === "number" ? formatNumber(locale, value) : value);
    } else {
      parts.push(`{${piece}}`);
    }
  }
  return parts;
}

/** Keys that come as a `.one` / `.other` pair, named without the suffix. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one` ? (`${Base}.other` extends MessageKey ? Base : never) : never;
}[MessageKey];

const pluralRules = new Map<Locale, Intl.PluralRules>();

/**
 * The right form of a counted message: `plural("fr", "profile.followers", 2)` → "2 abonnés".
 * French uses the singular for 0 and 1 ("0 abonné"), English only for 1; Intl.PluralRules knows.
 */
export function plural(
  locale: Locale,
  key: PluralKey,
  count: number,
  params: Record<string, string | number> = {},
): string {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  // Our catalogs only carry "one" and "other"; French "many" (1 000 000 d'abonnés) falls back to "other".
  const form = rules.select(count) === "one" ? "one" : "other";
  const fullKey = `${key}.${form}` as MessageKey;
  return interpolate(locale, catalogs[locale][fullKey], { ...params, count });
}

/** Every catalog, for tests and tools that compare them. */
export function catalog(locale: Locale): Catalog {
  return catalogs[locale];
}
