// Small building blocks shared by every POST form. Each POST form carries the CSRF token in a hidden
// `_csrf` field; GET forms (search) do not, so the token never ends up in URLs, logs or Referer headers.
import { html } from "../html.ts";

export type CsrfFieldProps = { token: string };

export function CsrfField({ token }: CsrfFieldProps) {
  return html`<input type="hidden" name="_csrf" value=${token} />`;
}

export type PostButtonProps = {
  action: string;
  csrf: string;
  label: string;
  /** A fuller accessible name when the visible label alone is ambiguous in a list ("Accept" whom?). */
  accessibleLabel?: string;
  variant?: "primary" | "secondary";
  /** Extra hidden fields, e.g. `{ locale: "en" }`. */
  fields?: Record<string, string>;
  class?: string;
};

/** A one-button form: the no-JavaScript way to perform an action that changes state. */
export function PostButton(props: PostButtonProps) {
  const { action, csrf, label, accessibleLabel, variant = "primary", fields = {} } = props;
  return html`<form method="post" action=${action} class=${["inline-form", props.class].filter(Boolean).join(" ")}>
    <${CsrfField} token=${csrf} />
    ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name=${name} value=${value} />`)}
    <button type="submit" class=${`button button-${variant}`} aria-label=${accessibleLabel}>${label}</button>
  </form>`;
}

/** The `aria-describedby` value for the ids that exist, or undefined (so no empty attribute is rendered). */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === "string" && id !== "");
  return present.length > 0 ? present.join(" ") : undefined;
}

/** A field's error message, shown above its input and named by the input's `aria-describedby`. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? html`<p id=${id} class="field-error">${message}</p>` : null;
}
