// Questions & answers pages (issue #14): the lists (unanswered, answered, per tag), the form to ask, and a
// question's page — its answers with votes, the accepted one first, the form to answer, and for the asker the
// colleagues who know its tags, to ask them to answer. One-button forms: no JavaScript needed.
import { h } from "preact";
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import { CsrfField, PostButton } from "./forms.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import { LocalTime } from "./local-time.ts";
import { ListPage, QuestionList, type QuestionSummary } from "./knowledge.ts";

export type QuestionsPageProps = PageChrome & { state: "all" | "unanswered" | "answered"; tag: string | null; questions: QuestionSummary[] };

export function QuestionsPage(props: QuestionsPageProps) {
  const { locale, state, tag, questions } = props;
  const title = tag ? t(locale, "knowledge.q.titleTag", { tag }) : t(locale, "knowledge.q.title");
  const href = (s: string) => `/knowledge/questions?state=${s}${tag ? `&tag=${encodeURIComponent(tag)}` : ""}`;
  return h(ListPage, {
    props, title, action: { href: "/knowledge/questions/new", label: t(locale, "knowledge.q.ask") },
    children: html`
      <nav class="kb-tabs" aria-label=${t(locale, "knowledge.q.filter")}>
        ${(["unanswered", "answered", "all"] as const).map((s) => html`<a key=${s} href=${href(s)} aria-current=${state === s ? "page" : undefined}>${t(locale, `knowledge.q.state.${s}`)}</a>`)}
      </nav>
      <section class="panel" aria-labelledby="page-title">${h(QuestionList, { locale, questions, emptyText: t(locale, "knowledge.q.none") })}</section>`,
  });
}

export type QuestionFormProps = PageChrome & { values: { title: string; body: string; tags: string }; error?: string | null };

export function QuestionFormPage(props: QuestionFormProps) {
  const { locale, csrf, values, error } = props;
  const title = t(locale, "knowledge.q.ask");
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : null}
      <form method="post" action="/knowledge/questions" class="stack-form">
        <${CsrfField} token=${csrf} />
        <div class="field"><label for="q-title">${t(locale, "knowledge.q.field.title")}</label>
          <input id="q-title" name="title" type="text" required maxlength="300" value=${values.title} /></div>
        <div class="field"><label for="q-body">${t(locale, "knowledge.q.field.body")}</label>
          <textarea id="q-body" name="body" rows="6" maxlength="20000">${values.body}</textarea></div>
        <div class="field"><label for="q-tags">${t(locale, "knowledge.field.tags")}</label>
          <p id="q-tags-hint" class="hint">${t(locale, "knowledge.q.field.tags.hint")}</p>
          <input id="q-tags" name="tags" type="text" maxlength="300" value=${values.tags} aria-describedby="q-tags-hint" /></div>
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "knowledge.q.submit")}</button></div>
      </form>
    </section>`,
  });
}

export type AnswerItem = { id: string; html: string; authorName: string; authorUrl: string; score: number; myVote: number; accepted: boolean; createdAt: Date; own: boolean };
export type ExpertItem = { id: string; name: string; url: string; job: string; asked: boolean };

export type QuestionPageProps = PageChrome & {
  question: { id: string; title: string; html: string; tags: string[]; authorName: string; authorUrl: string; createdAt: Date; canAccept: boolean; own: boolean };
  answers: AnswerItem[];
  experts: ExpertItem[];
};

export function QuestionPage(props: QuestionPageProps) {
  const { locale, csrf, question: q, answers, experts } = props;
  const base = `/knowledge/questions/${q.id}`;
  return h(Layout, {
    ...chrome(props),
    title: q.title,
    children: html`<article class="panel kb-article" aria-labelledby="page-title">
      <p class="kb-crumbs"><a href="/knowledge/questions">${t(locale, "knowledge.q.title")}</a></p>
      <h1 id="page-title">${q.title}</h1>
      <p class="kb-meta"><a href=${q.authorUrl}>${q.authorName}</a> · <${LocalTime} locale=${locale} date=${q.createdAt} />
        ${q.tags.map((tag) => html` <a class="kb-tag" href=${`/knowledge/questions?tag=${encodeURIComponent(tag)}`}>#${tag}</a>`)}</p>
      <div class="prose" dangerouslySetInnerHTML=${{ __html: q.html /* sanitised by the domain */ }}></div>
    </article>
    ${q.own && experts.length ? html`<section class="panel" aria-labelledby="experts-title">
      <h2 id="experts-title">${t(locale, "knowledge.q.experts")}</h2>
      <ul class="kb-list">${experts.map((e) => html`<li key=${e.id}>
        <a href=${e.url}>${e.name}</a>${e.job ? html` · ${e.job}` : null}
        ${e.asked ? html` · <span class="badge">${t(locale, "knowledge.q.asked")}</span>` : h(PostButton, {
          action: `${base}/ask`, csrf, label: t(locale, "knowledge.q.askExpert"), variant: "secondary", fields: { account_id: e.id },
          accessibleLabel: t(locale, "knowledge.q.askExpertLabel", { name: e.name }),
        })}
      </li>`)}</ul>
    </section>` : null}
    <section class="panel" aria-labelledby="answers-title">
      <h2 id="answers-title">${plural(locale, "knowledge.answers", answers.length)}</h2>
      ${answers.length === 0 ? html`<p class="empty-state">${t(locale, "knowledge.q.noAnswer")}</p>` : null}
      <ol class="kb-answers">${answers.map((a) => html`<li key=${a.id} id=${`answer-${a.id}`} class=${a.accepted ? "kb-answer kb-accepted" : "kb-answer"}>
        ${a.accepted ? html`<p class="badge">${t(locale, "knowledge.q.accepted")}</p>` : null}
        <div class="prose" dangerouslySetInnerHTML=${{ __html: a.html /* sanitised by the domain */ }}></div>
        <p class="kb-meta"><a href=${a.authorUrl}>${a.authorName}</a> · <${LocalTime} locale=${locale} date=${a.createdAt} />${` · ${plural(locale, "knowledge.votes", a.score)}`}</p>
        <div class="kb-answer-actions">
          ${a.own ? null : html`
            ${h(PostButton, { action: `/knowledge/answers/${a.id}/vote`, csrf, label: t(locale, "knowledge.q.up"), variant: a.myVote === 1 ? "primary" : "secondary",
              fields: { value: a.myVote === 1 ? "0" : "1", question: q.id }, accessibleLabel: t(locale, "knowledge.q.upLabel", { name: a.authorName }) })}
            ${h(PostButton, { action: `/knowledge/answers/${a.id}/vote`, csrf, label: t(locale, "knowledge.q.down"), variant: a.myVote === -1 ? "primary" : "secondary",
              fields: { value: a.myVote === -1 ? "0" : "-1", question: q.id }, accessibleLabel: t(locale, "knowledge.q.downLabel", { name: a.authorName }) })}`}
          ${q.canAccept && !a.accepted ? h(PostButton, { action: `${base}/accept`, csrf, label: t(locale, "knowledge.q.accept"), variant: "secondary",
            fields: { answer_id: a.id }, accessibleLabel: t(locale, "knowledge.q.acceptLabel", { name: a.authorName }) }) : null}
        </div>
      </li>`)}</ol>
      <form method="post" action=${`${base}/answers`} class="stack-form">
        <${CsrfField} token=${csrf} />
        <div class="field"><label for="answer-body">${t(locale, "knowledge.q.yourAnswer")}</label>
          <textarea id="answer-body" name="body" rows="5" required maxlength="20000"></textarea></div>
        <div class="form-actions"><button type="submit" class="button button-primary">${t(locale, "knowledge.q.answer")}</button></div>
      </form>
    </section>`,
  });
}
