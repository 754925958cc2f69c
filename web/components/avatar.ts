// A profile picture, or the person's initials on a warm colour when there is none.
import { html } from "../html.ts";

export type AvatarProps = {
  url: string | null;
  /** The display name (or username) the initials are taken from. */
  name: string;
  /** Seeds the placeholder colour so one person keeps the same colour everywhere. */
  seed: string;
  size?: "small" | "medium" | "large";
};

// Bidi controls, zero-width characters and other invisible marks: never part of initials.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}]/gu;

// What may stand as an initial: a letter, a digit, or a symbol such as an emoji (not "<" or "(").
const INITIAL = /^[\p{L}\p{N}\p{So}]/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The first letter-like grapheme of a word, whole (an accented letter or an emoji is not cut in half). */
function firstInitial(word: string): string | null {
  for (const { segment } of segmenter.segment(word)) {
    if (INITIAL.test(segment)) return segment;
  }
  return null;
}

/** Up to two initials: of the first and last words that have one. */
export function initials(name: string): string {
  const letters = name
    .replace(INVISIBLE, " ")
    .split(" ")
    .map(firstInitial)
    .filter((letter): letter is string => letter !== null);
  const picked = letters.length > 1 ? [letters[0], letters[letters.length - 1]] : letters;
  const result = picked.join("").toLocaleUpperCase();
  return result === "" ? "?" : result;
}

const PLACEHOLDER_TONES = 6;
const PIXELS = { small: 40, medium: 48, large: 112 } as const;

function tone(seed: string): number {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash % PLACEHOLDER_TONES;
}

export function Avatar({ url, name, seed, size = "medium" }: AvatarProps) {
  // The name is always written next to the picture, so the picture itself is decorative (alt="").
  if (url) {
    return html`<img class=${`avatar avatar-${size}`} src=${url} alt="" width=${PIXELS[size]} height=${PIXELS[size]} loading="lazy" decoding="async"
      referrerpolicy="no-referrer" />`;
  }
  return html`<span class=${`avatar avatar-${size} avatar-placeholder avatar-tone-${tone(seed)}`} aria-hidden="true"
    >${initials(name)}</span>`;
}
