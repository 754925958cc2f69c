// An error page with a status that means what it says and a message people can read.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import type { Locale } from "../i18n/index.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";

export type ErrorPageProps = PageChrome & {
  status: number;
  /** Already translated: what went wrong and, when possible, what to do. */
  message: string;
};

const KNOWN_STATUSES = [400, 401, 403, 404, 409, 413, 422, 429, 500] as const;
type KnownStatus = (typeof KNOWN_STATUSES)[number];

function isKnown(status: number): status is KnownStatus {
  return (KNOWN_STATUSES as readonly number[]).includes(status);
}

/** The short name of a status ("Page introuvable"), or "Erreur 418" for one we have no name for. */
export function statusTitle(locale: Locale, status: number): string {
  return isKnown(status) ? t(locale, `error.status.${status}`) : t(locale, "error.heading", { status });
}

export function ErrorPage(props: ErrorPageProps) {
  const { locale, status, message } = props;
  const title = statusTitle(locale, status);
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel error-panel" aria-labelledby="page-title">
      <p class="error-code" aria-hidden="true">${status}</p>
      <h1 id="page-title">${title}</h1>
      <p class="lead">${message}</p>
      <p><a class="button button-secondary" href="/">${t(locale, "error.backHome")}</a></p>
    </section>`,
  });
}
