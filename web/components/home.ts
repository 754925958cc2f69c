// The front page: what Ruche is, which instances this one is linked to, and a way to find colleagues.
import { h } from "preact";
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import { chrome, Layout } from "./layout.ts";
import type { PageChrome } from "./layout.ts";
import { SearchForm } from "./search-form.ts";

export type HomeInstance = {
  name: string;
  /** e.g. `https://paris.acme.example` */
  origin: string;
  userCount: number;
  /** The sibling instances: origin (e.g. `https://lyon.acme.example`) and the name it publishes, if known. */
  siblings: { origin: string; name: string | null }[];
};

export type HomePageProps = Omit<PageChrome, "instanceName"> & { instance: HomeInstance };

function hostOfOrigin(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

export function HomePage(props: HomePageProps) {
  const { locale, instance, viewer } = props;
  const siblingHosts = instance.siblings.map(({ origin, name }) => ({ origin, host: hostOfOrigin(origin), name }));
  const exampleHost = siblingHosts[0]?.host ?? hostOfOrigin(instance.origin);
  return h(Layout, {
    ...chrome(props),
    instanceName: instance.name,
    title: t(locale, "home.title"),
    children: html`<section class="hero" aria-labelledby="page-title">
        <h1 id="page-title">${t(locale, "home.welcome", { name: `${t(locale, "app.name")} ${instance.name}` })}</h1>
        <p class="lead">${t(locale, "home.intro")}</p>
        <p>${t(locale, "home.federation")}</p>
        <p class="stat">${plural(locale, "home.userCount", instance.userCount)}</p>
        ${viewer
          ? null
          : html`<p class="hero-cta">
              <a class="button button-primary" href="/login">${t(locale, "nav.login")}</a>
              <span>${t(locale, "home.signedOut")}</span>
            </p>`}
      </section>
      <div class=${viewer ? "home-grid" : undefined}>
        ${viewer
          ? html`<section class="panel" aria-labelledby="search-title">
              <h2 id="search-title">${t(locale, "search.title")}</h2>
              ${h(SearchForm, { locale, exampleHost })}
            </section>`
          : null}
        <section class="panel" aria-labelledby="siblings-title">
          <h2 id="siblings-title">${t(locale, "home.siblings.title")}</h2>
          ${siblingHosts.length === 0
            ? html`<p class="empty-state">${t(locale, "home.siblings.empty")}</p>`
            : html`<p>${t(locale, "home.siblings.intro")}</p>
                <ul class="sibling-list">
                  ${siblingHosts.map(
                    ({ origin, host, name }) => html`<li key=${origin}><a href=${origin} translate="no">${name ?? host}</a>${name
                      ? html` <span class="sibling-host" translate="no">(${host})</span>` : null}</li>`,
                  )}
                </ul>`}
        </section>
      </div>`,
  });
}
