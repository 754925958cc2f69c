// Helpers for the page tests: render a component to a string and pick parts of the HTML.
import type { VNode } from "preact";
import { renderPage } from "../render.ts";

export function render(vnode: VNode<any>): string {
  return renderPage(vnode);
}

/** The markup of every `<form method="post">` on the page (forms never nest). */
export function postForms(html: string): string[] {
  return [...html.matchAll(/<form\b[^>]*\bmethod="post"[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]);
}

/** The hidden CSRF field exactly as the page must carry it. */
export function csrfInput(token: string): string {
  return `<input type="hidden" name="_csrf" value="${token}"/>`;
}

/**
 * The opening tag of the element whose `id` is `id`. Scans quoted values, because the renderer leaves
 * `>` unescaped inside attributes (value="a>b").
 */
export function tagWithId(html: string, id: string): string {
  const at = html.indexOf(` id="${id}"`);
  if (at === -1) throw new Error(`no element with id="${id}"`);
  const start = html.lastIndexOf("<", at);
  let inQuotes = false;
  for (let i = at; i < html.length; i++) {
    if (html[i] === '"') inQuotes = !inQuotes;
    else if (html[i] === ">" && !inQuotes) return html.slice(start, i + 1);
  }
  throw new Error(`unterminated tag for id="${id}"`);
}

export function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
}
