// Writing in the knowledge base (issue #14): the editor (new article or new revision; "Preview" renders on the
// server, so it works without JavaScript), the conflict page (an edit based on an old revision: both versions,
// nothing saved), an article's history (pick any two revisions to compare, restore one) and the diff view.
import { h } from "preact";
import { html } from "../html.ts";
import { t } from "../i18n/index.ts";
import { CsrfField, describedBy, PostButton } from "./forms.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";

export type EditorValues = { title: string; body: string; tags: string; summary: string; visibility: string; space: string; baseRevisionId: string | null };

export type ArticleEditorProps = PageChrome & {
  /** null: a new article. */
  articleId: string | null;
  values: EditorValues;
  spaces: { id: string; name: string }[];
  previewHtml?: string | null;
  error?: string | null;
  /** The latest version when the edit was based on an old one. */
  conflict?: { title: string; body: string; revisionId: string } | null;
};

const VISIBILITIES = ["internal", "local", "public"] as const;

export function ArticleEditorPage(props: ArticleEditorProps) {
  const { locale, csrf, articleId, values, spaces, previewHtml, error, conflict } = props;
  const title = conflict ? t(locale, "knowledge.conflict.title") : articleId ? t(locale, "knowledge.edit.title", { title: values.title }) : t(locale, "knowledge.new");
  const action = articleId ? `/knowledge/articles/${articleId}` : "/knowledge/articles";
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-wide" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      ${error ? html`<p class="notice notice-error" role="alert" id="kb-error">${error}</p>` : null}
      ${conflict ? html`<div class="kb-conflict">
        <p class="notice notice-error" role="alert">${t(locale, "knowledge.conflict.explain")}</p>
        <h2>${t(locale, "knowledge.conflict.latest")}</h2>
        <pre class="kb-source" tabindex="0" aria-label=${t(locale, "knowledge.conflict.latest")}>${conflict.body}</pre>
        <h2>${t(locale, "knowledge.conflict.yours")}</h2>
        <p class="hint">${t(locale, "knowledge.conflict.merge")}</p>
      </div>` : null}
      <form method="post" action=${action} class="stack-form">
        <${CsrfField} token=${csrf} />
        ${values.baseRevisionId ? html`<input type="hidden" name="base_revision_id" value=${conflict?.revisionId ?? values.baseRevisionId} />` : null}
        <div class="field">
          <label for="kb-title">${t(locale, "knowledge.field.title")}</label>
          <input id="kb-title" name="title" type="text" required maxlength="300" value=${values.title} aria-describedby=${describedBy(error && "kb-error")} />
        </div>
        <div class="field">
          <label for="kb-body">${t(locale, "knowledge.field.body")}</label>
          <p id="kb-body-hint" class="hint">${t(locale, "knowledge.field.body.hint")}</p>
          <textarea id="kb-body" name="body" rows="18" class="kb-editor" aria-describedby="kb-body-hint">${values.body}</textarea>
        </div>
        <div class="field">
          <label for="kb-tags">${t(locale, "knowledge.field.tags")}</label>
          <p id="kb-tags-hint" class="hint">${t(locale, "knowledge.field.tags.hint")}</p>
          <input id="kb-tags" name="tags" type="text" maxlength="500" value=${values.tags} aria-describedby="kb-tags-hint" />
        </div>
        ${articleId ? html`<div class="field">
          <label for="kb-summary">${t(locale, "knowledge.field.summary")}</label>
          <input id="kb-summary" name="summary" type="text" maxlength="500" value=${values.summary} />
        </div>` : html`<div class="field">
          <label for="kb-space">${t(locale, "knowledge.field.space")}</label>
          <select id="kb-space" name="space">
            <option value="" selected=${values.space === ""}>${t(locale, "knowledge.space.instance")}</option>
            ${spaces.map((s) => html`<option key=${s.id} value=${s.id} selected=${values.space === s.id}>${s.name}</option>`)}
          </select>
        </div>
        <fieldset class="choice-list">
          <legend>${t(locale, "knowledge.field.visibility")}</legend>
          ${VISIBILITIES.map((v) => html`<div class="field-check" key=${v}>
            <input type="radio" id=${`kb-vis-${v}`} name="visibility" value=${v} checked=${values.visibility === v} />
            <label for=${`kb-vis-${v}`}>${t(locale, `knowledge.visibility.${v}`)}</label>
          </div>`)}
        </fieldset>`}
        <div class="form-actions">
          <button type="submit" name="intent" value="preview" class="button button-secondary">${t(locale, "knowledge.preview")}</button>
          <button type="submit" name="intent" value="save" class="button button-primary">${t(locale, "knowledge.save")}</button>
        </div>
      </form>
      ${previewHtml != null ? html`<section class="kb-preview" aria-labelledby="preview-title">
        <h2 id="preview-title">${t(locale, "knowledge.preview")}</h2>
        <div class="prose" dangerouslySetInnerHTML=${{ __html: previewHtml /* rendered and sanitised by the domain */ }}></div>
      </section>` : null}
    </section>`,
  });
}

export type RevisionRow = { id: string; authorName: string; summary: string; createdAt: Date; bytes: number };
export type HistoryPageProps = PageChrome & { articleId: string; title: string; revisions: RevisionRow[]; editable: boolean };

export function HistoryPage(props: HistoryPageProps) {
  const { locale, csrf, articleId, title, revisions, editable } = props;
  const base = `/knowledge/articles/${articleId}`;
  const heading = t(locale, "knowledge.history.title", { title });
  return h(Layout, {
    ...chrome(props),
    title: heading,
    children: html`<section class="panel" aria-labelledby="page-title">
      <p class="kb-crumbs"><a href=${base}>${title}</a></p>
      <h1 id="page-title">${heading}</h1>
      <form method="get" action=${`${base}/diff`} id="diff-form"></form>
      <table class="kb-history">
        <caption class="visually-hidden">${heading}</caption>
        <thead><tr>
          <th scope="col">${t(locale, "knowledge.history.from")}</th><th scope="col">${t(locale, "knowledge.history.to")}</th>
          <th scope="col">${t(locale, "knowledge.history.revision")}</th><th scope="col">${t(locale, "knowledge.history.summary")}</th>
          ${editable ? html`<th scope="col"><span class="visually-hidden">${t(locale, "knowledge.restore")}</span></th>` : null}
        </tr></thead>
        <tbody>${revisions.map((r, i) => html`<tr key=${r.id}>
          <td><input type="radio" form="diff-form" name="from" value=${r.id} checked=${i === 1 || (revisions.length === 1 && i === 0)}
            aria-label=${t(locale, "knowledge.history.fromLabel", { id: r.id })} /></td>
          <td><input type="radio" form="diff-form" name="to" value=${r.id} checked=${i === 0}
            aria-label=${t(locale, "knowledge.history.toLabel", { id: r.id })} /></td>
          <td><a href=${`${base}/revisions/${r.id}`}>#${r.id}</a> · ${r.authorName} · <${LocalTime} locale=${locale} date=${r.createdAt} /></td>
          <td>${r.summary.startsWith("restore:") ? t(locale, "knowledge.history.restored", { id: r.summary.slice(8) }) : r.summary}</td>
          ${editable ? html`<td>${i > 0 ? h(PostButton, {
            action: `${base}/revisions/${r.id}/restore`, csrf, label: t(locale, "knowledge.restore"), variant: "secondary",
            accessibleLabel: t(locale, "knowledge.restoreLabel", { id: r.id }),
          }) : null}</td>` : null}
        </tr>`)}</tbody>
      </table>
      <div class="form-actions"><button type="submit" form="diff-form" class="button button-primary">${t(locale, "knowledge.history.compare")}</button></div>
    </section>`,
  });
}

export type DiffPageProps = PageChrome & {
  articleId: string; title: string; fromId: string; toId: string; added: number; removed: number;
  parts: { kind: "same" | "added" | "removed"; text: string }[];
};

export function DiffPage(props: DiffPageProps) {
  const { locale, articleId, title, fromId, toId, added, removed, parts } = props;
  const heading = t(locale, "knowledge.diff.title", { from: fromId, to: toId });
  const base = `/knowledge/articles/${articleId}`;
  return h(Layout, {
    ...chrome(props),
    title: heading,
    children: html`<section class="panel" aria-labelledby="page-title">
      <p class="kb-crumbs"><a href=${base}>${title}</a> › <a href=${`${base}/history`}>${t(locale, "knowledge.history")}</a></p>
      <h1 id="page-title">${heading}</h1>
      <p class="kb-meta">${t(locale, "knowledge.diff.counts", { added, removed })}</p>
      <pre class="kb-diff" tabindex="0" aria-label=${heading}>${parts.map((p, i) => p.kind === "same"
        ? html`<span key=${i}>${p.text}</span>`
        : p.kind === "added"
          ? html`<ins key=${i}><span class="visually-hidden">${t(locale, "knowledge.diff.added")} </span>${p.text}</ins>`
          : html`<del key=${i}><span class="visually-hidden">${t(locale, "knowledge.diff.removed")} </span>${p.text}</del>`)}</pre>
    </section>`,
  });
}

export type RevisionPageProps = PageChrome & { articleId: string; title: string; revisionId: string; body: string; authorName: string; createdAt: Date };

export function RevisionPage(props: RevisionPageProps) {
  const { locale, articleId, title, revisionId, body, authorName, createdAt } = props;
  const heading = t(locale, "knowledge.revision.title", { id: revisionId, title });
  return h(Layout, {
    ...chrome(props),
    title: heading,
    children: html`<section class="panel" aria-labelledby="page-title">
      <p class="kb-crumbs"><a href=${`/knowledge/articles/${articleId}/history`}>${t(locale, "knowledge.history")}</a></p>
      <h1 id="page-title">${heading}</h1>
      <p class="kb-meta">${authorName} · <${LocalTime} locale=${locale} date=${createdAt} /></p>
      <pre class="kb-source" tabindex="0" aria-label=${heading}>${body}</pre>
    </section>`,
  });
}
