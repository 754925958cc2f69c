// /api/ruche/v1/questions and /answers: questions & answers (issue #14 point 2). Asking answers with the colleagues
// the directory says know the tags (`suggested_experts`, Mastodon Account entities); asking them to answer is
// POST …/ask. Errors as the Mastodon API's, with their stable `code` (codes.ts).
import type { Hono } from "hono";
import { z } from "zod";
import {
  acceptAnswer, answerQuestion, answersOf, type AnswerView, askQuestion, askToAnswer, findQuestion, listQuestions, mayAccept,
  questionInputSchema, type QuestionView, voteOnAnswer,
} from "../../domain/knowledge/questions.ts";
import { normaliseTag } from "../../domain/posts/hashtags.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { notFound } from "../mastodon/errors.ts";
import { bodyParams, idParam, limitParam, parse, queryParams } from "../mastodon/params.ts";
import { serializeAccounts } from "../mastodon/serializers.ts";
import { errorCodes } from "./codes.ts";

const listSchema = z.object({
  state: z.enum(["all", "unanswered", "answered"]).optional(), tag: z.string().max(101).optional(), group_id: idParam.optional(),
  limit: limitParam(20, 80), max_id: idParam.optional(),
});

export function registerRucheQuestions(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const read = [tokenRequired(deps), scopeRequired(["read:statuses"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:statuses"])] as const;
  for (const path of ["/api/ruche/v1/questions", "/api/ruche/v1/questions/*", "/api/ruche/v1/answers/*"]) api.use(path, errorCodes());

  async function questionJson(q: QuestionView, viewerId: string) {
    const [author] = await serializeAccounts(sql, config.origin, [q.author]);
    return {
      id: q.id, url: q.url ?? q.iri, uri: q.iri, title: q.title, body: q.source, content: q.html, tags: q.tags, visibility: q.visibility,
      group_id: q.groupId, accepted_answer_id: q.acceptedAnswerId, answers_count: q.answers, author, created_at: q.createdAt.toISOString(),
      can_accept: await mayAccept(sql, q, viewerId),
    };
  }
  async function answersJson(list: AnswerView[]) {
    const authors = await serializeAccounts(sql, config.origin, list.map((a) => a.author));
    return list.map((a, i) => ({
      id: a.id, question_id: a.questionId, body: a.source, content: a.html, score: a.score, my_vote: a.myVote, accepted: a.accepted,
      author: authors[i], created_at: a.createdAt.toISOString(),
    }));
  }

  api.post("/api/ruche/v1/questions", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(questionInputSchema, await bodyParams(c));
    const { question, suggested } = await askQuestion(sql, config.origin, viewer.accountId, p);
    return c.json({ id: question.id, url: question.url, suggested_experts: await serializeAccounts(sql, config.origin, suggested) });
  });

  api.get("/api/ruche/v1/questions", ...read, async (c) => {
    const viewer = viewerOf(c);
    const q = parse(listSchema, queryParams(c));
    const list = await listQuestions(sql, localViewer(viewer.accountId), {
      state: q.state, tag: q.tag ? normaliseTag(q.tag) ?? "\u0000none" : undefined, groupId: q.group_id, limit: q.limit, maxId: q.max_id,
    });
    return c.json(await Promise.all(list.map((x) => questionJson(x, viewer.accountId))));
  });

  api.get("/api/ruche/v1/questions/:id{[0-9]+}", ...read, async (c) => {
    const viewer = viewerOf(c);
    const q = await findQuestion(sql, c.req.param("id"), localViewer(viewer.accountId));
    if (!q) throw notFound();
    return c.json({ ...(await questionJson(q, viewer.accountId)), answers: await answersJson(await answersOf(sql, q, localViewer(viewer.accountId))) });
  });

  api.post("/api/ruche/v1/questions/:id{[0-9]+}/ask", ...write, async (c) => {
    const p = parse(z.object({ account_ids: z.array(idParam).min(1).max(20) }), await bodyParams(c));
    return c.json({ asked: await askToAnswer(sql, c.req.param("id"), viewerOf(c).accountId, p.account_ids) });
  });

  api.post("/api/ruche/v1/questions/:id{[0-9]+}/answers", ...write, async (c) => {
    const p = parse(z.object({ body: z.string() }), await bodyParams(c));
    const [a] = await answersJson([await answerQuestion(sql, config.origin, c.req.param("id"), viewerOf(c).accountId, p.body)]);
    return c.json(a);
  });

  api.post("/api/ruche/v1/questions/:id{[0-9]+}/accept", ...write, async (c) => {
    const p = parse(z.object({ answer_id: idParam.nullable() }), await bodyParams(c));
    await acceptAnswer(sql, c.req.param("id"), viewerOf(c).accountId, p.answer_id);
    return c.json({ id: c.req.param("id"), accepted_answer_id: p.answer_id });
  });

  api.post("/api/ruche/v1/answers/:id{[0-9]+}/vote", ...write, async (c) => {
    const p = parse(z.object({ value: z.coerce.number().int().min(-1).max(1) }), await bodyParams(c));
    const score = await voteOnAnswer(sql, c.req.param("id"), viewerOf(c).accountId, p.value as -1 | 0 | 1);
    return c.json({ id: c.req.param("id"), score, my_vote: p.value });
  });
}
