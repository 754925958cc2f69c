// Small line icons for posts and the app shell (16×16, currentColor). Always decorative: a text label or an
// accessible name sits next to each one.
import { html } from "../html.ts";

const PATHS = {
  public: "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM1.5 8h13M8 1.5c1.8 1.9 2.7 4.1 2.7 6.5S9.8 12.6 8 14.5C6.2 12.6 5.3 10.4 5.3 8S6.2 3.4 8 1.5Z",
  unlisted: "M3.5 7.5h9v7h-9ZM5.5 7.5V5a2.5 2.5 0 0 1 4.9-.7",
  internal: "M8 1.5 13.6 4.75v6.5L8 14.5 2.4 11.25v-6.5ZM8 5.5l2.6 1.5v3L8 11.5 5.4 10V7Z",
  local: "M3 14.5v-12h7v12M10 6.5h3v8M1.5 14.5h13M5.5 5h2M5.5 8h2M5.5 11h2",
  followers: "M3.5 7.5h9v7h-9ZM5.5 7.5V5a2.5 2.5 0 0 1 5 0v2.5",
  direct: "M10.5 8a2.5 2.5 0 1 1-5 0 2.5 2.5 0 0 1 5 0Zm0 0v1a2 2 0 0 0 4 0V8a6.5 6.5 0 1 0-2.6 5.2",
  group: "M5.5 7a2.25 2.25 0 1 0 0-4.5 2.25 2.25 0 0 0 0 4.5ZM1.5 13.5c0-2.2 1.8-4 4-4s4 1.8 4 4M11 7a2 2 0 1 0 0-4M12 9.6c1.5.4 2.5 1.9 2.5 3.9",
  reply: "M6.5 3.5 2.5 7.5l4 4M2.5 7.5h6.5a4.5 4.5 0 0 1 4.5 4.5v1",
  like: "M8 13.5S2 10 2 6a3 3 0 0 1 6-1 3 3 0 0 1 6 1c0 4-6 7.5-6 7.5Z",
  boost: "M11 1.5 13.5 4 11 6.5M2.5 7.5V6a2 2 0 0 1 2-2h9M5 14.5 2.5 12 5 9.5M13.5 8.5V10a2 2 0 0 1-2 2h-9",
  bookmark: "M4 1.5h8v13l-4-3-4 3Z",
  more: "M3 8h.01M8 8h.01M13 8h.01",
  follow: "M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5ZM1.5 14c0-2.5 2-4.5 4.5-4.5s4.5 2 4.5 4.5M12.5 5v5M10 7.5h5",
  home: "M2 7.5 8 2l6 5.5M3.5 6.5v8h3.5v-4h2v4h3.5v-8",
  message: "M2 3.5h12v8H7.5L4.5 14v-2.5H2Z",
  bell: "M4 11.5V7a4 4 0 0 1 8 0v4.5l1.5 1.5h-11ZM6.5 13.5a1.5 1.5 0 0 0 3 0",
  people: "M5.5 7a2.25 2.25 0 1 0 0-4.5 2.25 2.25 0 0 0 0 4.5ZM1.5 13.5c0-2.2 1.8-4 4-4s4 1.8 4 4M11 7a2 2 0 1 0 0-4M12 9.6c1.5.4 2.5 1.9 2.5 3.9",
  menu: "M2.5 4h11M2.5 8h11M2.5 12h11",
  calendar: "M2.5 3.5h11v10h-11ZM2.5 6.5h11M5.5 2v3M10.5 2v3",
  book: "M8 4.5C6.8 3.3 4.8 3 2 3v9.5c2.8 0 4.8.3 6 1.5 1.2-1.2 3.2-1.5 6-1.5V3c-2.8 0-4.8.3-6 1.5ZM8 4.5V14",
  list: "M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01",
  search: "M7 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10ZM10.5 10.5l4 4",
  link: "M6.5 9.5l3-3M7 4.5l1-1a2.8 2.8 0 0 1 4 4l-1 1M9 11.5l-1 1a2.8 2.8 0 0 1-4-4l1-1",
} as const;

export type IconName = keyof typeof PATHS;

export function ScopeIcon({ scope }: { scope: IconName }) {
  return html`<svg class=${`icon icon-${scope}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"
    fill="none" stroke="currentColor" stroke-width=${scope === "more" ? 2.6 : 1.5} stroke-linecap="round" stroke-linejoin="round">
    <path d=${PATHS[scope]} />
  </svg>`;
}
