// Questions & answers pages and the group-wide search page (issue #14): /knowledge/questions (unanswered,
// answered, per tag), /knowledge/questions/new, a question's page with its answers, votes, accepted answer, the
// experts to ask; /knowledge/search (every kind, facets). One-button forms; the domain decides (questions.ts,
// search/search.ts) and applies the audience rule.
import type { Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import {
  acceptAnswer, answerQuestion, answersOf, askQuestion, askToAnswer, findQuestion, listQuestions, mayAccept, type QuestionState, suggestExperts,
  voteOnAnswer,
} from "../../domain/knowledge/questions.ts";
import { search, SEARCH_KINDS, type SearchKind } from "../../domain/search/search.ts";
import { normaliseTag } from "../../domain/posts/hashtags.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { getProfile } from "../../domain/profiles/profiles.ts";
import { profileForScope } from "../../domain/profiles/profile-visibility.ts";
import { QuestionFormPage, QuestionPage, QuestionsPage } from "../../../web/components/questions.ts";
import { KnowledgeSearchPage } from "../../../web/components/knowledge-search.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, requireUser } from "./session.ts";
import { pagePath } from "./views.ts";
import { questionSummaries, tagList } from "./knowledge.ts";

const ID = "{[0-9]{1,18}}";
const nameOf = (a: { displayName: string; username: string }) => a.displayName.trim() || a.username;
const str = (form: Record<string, unknown>, k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");

export function registerKnowledgeQuestionPages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;

  app.get("/knowledge/questions", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const raw = c.req.query("state");
    const state: QuestionState = raw === "answered" || raw === "all" ? raw : "unanswered";
    const tag = normaliseTag(c.req.query("tag") ?? "") ?? null;
    const list = await listQuestions(sql, localViewer(r.user.account.id), { state, tag: tag ?? undefined, limit: 50 });
    return page(c, QuestionsPage, { ...chromeOf(c, deps), path: "/knowledge", state, tag, questions: questionSummaries(list) });
  });

  app.get("/knowledge/questions/new", (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    return page(c, QuestionFormPage, { ...chromeOf(c, deps), path: "/knowledge", values: { title: "", body: "", tags: "" } });
  });

  app.post("/knowledge/questions", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const values = { title: str(form, "title"), body: str(form, "body"), tags: str(form, "tags") };
    try {
      const { question } = await askQuestion(sql, config.origin, r.user.account.id, { title: values.title, body: values.body, tags: tagList(values.tags) });
      return c.redirect(`/knowledge/questions/${question.id}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const base = chromeOf(c, deps);
      return page(c, QuestionFormPage, { ...base, path: "/knowledge", values, error: t(base.locale, "knowledge.error.invalid", { reason: e.message }) }, e.status);
    }
  });

  app.get(`/knowledge/questions/:id${ID}`, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const me = r.user.account.id;
    const q = await findQuestion(sql, c.req.param("id"), localViewer(me));
    if (!q) return errorPage(c, deps, 404, "page.error.notFound");
    const own = q.author.id === me;
    const [answers, canAccept, experts, asked] = await Promise.all([
      answersOf(sql, q, localViewer(me)), mayAccept(sql, q, me), own && q.tags.length ? suggestExperts(sql, q.tags, me) : [],
      sql`SELECT account_id::text FROM question_requests WHERE question_id = ${q.id}`,
    ]);
    const askedIds = new Set(asked.map((x) => x.account_id as string));
    // The job as a colleague here may read it (the profile's own field visibility).
    const jobs = await Promise.all(experts.map(async (e) => {
      const p = await getProfile(sql, e.id);
      return p ? profileForScope(p, "internal").jobTitle : "";
    }));
    return page(c, QuestionPage, {
      ...chromeOf(c, deps), path: "/knowledge",
      question: { id: q.id, title: q.title, html: q.html, tags: q.tags, authorName: nameOf(q.author), authorUrl: pagePath(deps, q.author), createdAt: q.createdAt, canAccept, own },
      answers: answers.map((a) => ({
        id: a.id, html: a.html, authorName: nameOf(a.author), authorUrl: pagePath(deps, a.author), score: a.score, myVote: a.myVote, accepted: a.accepted,
        createdAt: a.createdAt, own: a.author.id === me,
      })),
      experts: experts.map((e, i) => ({ id: e.id, name: nameOf(e), url: pagePath(deps, e), job: jobs[i], asked: askedIds.has(e.id) })),
    });
  });

  /** Runs a question action from a one-button form, then back to the question. */
  const action = (path: string, run: (me: string, form: Record<string, unknown>, id: string) => Promise<string>) => {
    app.post(path, async (c) => {
      const r = requireUser(c);
      if (!r.user) return r.redirect;
      const form = await c.req.parseBody();
      if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
      try {
        return c.redirect(await run(r.user.account.id, form, c.req.param("id") ?? ""), 303);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return errorPage(c, deps, e.status === 403 ? 403 : e.status === 404 ? 404 : 422, e.status === 404 ? "page.error.notFound" : "page.error.generic");
      }
    });
  };
  action(`/knowledge/questions/:id${ID}/answers`, async (me, form, id) => {
    const a = await answerQuestion(sql, config.origin, id, me, str(form, "body"));
    return `/knowledge/questions/${id}#answer-${a.id}`;
  });
  action(`/knowledge/questions/:id${ID}/accept`, async (me, form, id) => {
    await acceptAnswer(sql, id, me, str(form, "answer_id") || null);
    return `/knowledge/questions/${id}`;
  });
  action(`/knowledge/questions/:id${ID}/ask`, async (me, form, id) => {
    await askToAnswer(sql, id, me, [str(form, "account_id")].filter((x) => /^\d{1,18}$/.test(x)));
    return `/knowledge/questions/${id}`;
  });
  action(`/knowledge/answers/:id${ID}/vote`, async (me, form, id) => {
    const value = Number(str(form, "value"));
    await voteOnAnswer(sql, id, me, value === 1 ? 1 : value === -1 ? -1 : 0);
    const q = str(form, "question");
    return /^\d{1,18}$/.test(q) ? `/knowledge/questions/${q}#answer-${id}` : "/knowledge/questions";
  });

  app.get("/knowledge/search", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const q = (c.req.query("q") ?? "").slice(0, 10_000);
    // An address (@lea@lyon.example) or a URL is a person or a post to resolve: the people search does that.
    if (/^@?[^@\s/]+@[^@\s/]+$/.test(q.trim()) || /^https?:\/\//i.test(q.trim())) return c.redirect(`/search?q=${encodeURIComponent(q.trim())}`, 303);
    const rawKind = c.req.query("kind") ?? "";
    const kind = (SEARCH_KINDS as readonly string[]).includes(rawKind) ? rawKind as SearchKind : null;
    const base = chromeOf(c, deps);
    const empty = { post: 0, article: 0, question: 0, profile: 0 };
    if (!q.trim()) return page(c, KnowledgeSearchPage, { ...base, path: "/knowledge", q, kind, results: [], facets: empty });
    try {
      const answer = await search(sql, localViewer(r.user.account.id), q, { kinds: kind ? [kind] : undefined, limit: 30 });
      return page(c, KnowledgeSearchPage, {
        ...base, path: "/knowledge", q, kind, facets: answer.facets,
        results: answer.results.map((x) => ({ kind: x.kind, url: x.url, title: x.title, snippet: x.snippet })),
      });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return page(c, KnowledgeSearchPage, { ...base, path: "/knowledge", q, kind, results: [], facets: empty, error: t(base.locale, "knowledge.search.error", { reason: e.message }) }, e.status);
    }
  });
}
