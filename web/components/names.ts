// How a person's name and handle are shown. Display names are plain text chosen by anyone on any
// server: they are rendered as text (Preact escapes them, so `<script>` stays text), and wrapped in
// <bdi> so a right-to-left name, or one carrying U+202E overrides, cannot reorder the text around it.
import { html } from "../html.ts";

export type DisplayNameProps = { name: string; fallback: string };

export function DisplayName({ name, fallback }: DisplayNameProps) {
  const shown = name.trim() === "" ? fallback : name;
  return html`<bdi class="display-name">${shown}</bdi>`;
}

export type HandleProps = { handle: string };

export function Handle({ handle }: HandleProps) {
  return html`<bdi class="handle" translate="no">${handle}</bdi>`;
}

/**
 * The same isolation for places where no element is allowed (the <title>, attribute values):
 * FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}

/** `@camille@lyon.example` → `camille`; `@camille` → `camille`. */
export function usernameOf(handle: string): string {
  return handle.replace(/^@/, "").split("@")[0];
}

/** `@camille@lyon.example` → `lyon.example`, or null for a bare username. */
export function hostOf(handle: string): string | null {
  const parts = handle.replace(/^@/, "").split("@");
  return parts.length > 1 && parts[1] !== "" ? parts[1] : null;
}
