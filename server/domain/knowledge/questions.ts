// Questions and answers (issue #14 point 2). A question has tags and the audience rule's scopes (as an article:
// a project's questions are its members'); answers are read with their question; each person has one vote per
// answer (+1 or −1); the asker — or a moderator: the group's owner or moderators in a group's space, an instance
// admin elsewhere — marks the accepted answer. Asking links knowledge to people: the directory's "who knows X"
// (profiles/directory.ts, the tags as expertise) suggests colleagues in every subsidiary, and the asker can ask
// them to answer (a notification, 'ruche.question').
//
//   askQuestion(sql, origin, askerId, input) → { question, suggested }
//   answerQuestion / voteOnAnswer / acceptAnswer / askToAnswer / findQuestion / listQuestions / answersOf
import { z } from "zod";
import { atomically, type Db, type Sql } from "../../db/pool.ts";
import { type Account, accountColumns, findLocalUserById, toAccount } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { localViewer, type Viewer, viewerAccountId, visibleTo, type Visibility } from "../audience/visibility.ts";
import { findGroup, isMember, roleOf } from "../groups/groups.ts";
import { normaliseTag } from "../posts/hashtags.ts";
import { renderMarkdown } from "../markdown.ts";
import { htmlToText } from "../posts/html.ts";
import { notify } from "../notifications/notifications.ts";
import { searchDirectory } from "../profiles/directory.ts";
import { profileAudienceOf } from "../profiles/profile-visibility.ts";
import { ARTICLE_VISIBILITIES } from "./articles.ts";

export const QUESTION_LIMITS = { title: 300, body: 20_000, answer: 20_000, tags: 10, experts: 5 } as const;

export const questionInputSchema = z.object({
  title: z.string().trim().min(1).max(QUESTION_LIMITS.title),
  body: z.string().max(QUESTION_LIMITS.body).default(""),
  tags: z.array(z.string()).max(QUESTION_LIMITS.tags).default([]),
  visibility: z.enum(ARTICLE_VISIBILITIES).default("internal"),
  group_id: z.string().regex(/^\d{1,18}$/).nullish(),
});

export interface QuestionView {
  id: string; iri: string; url: string | null; local: boolean; author: Account; groupId: string | null; visibility: Visibility;
  title: string; source: string; html: string; tags: string[]; acceptedAnswerId: string | null; answers: number; createdAt: Date;
}
export interface AnswerView { id: string; questionId: string; author: Account; html: string; source: string; score: number; myVote: number; accepted: boolean; createdAt: Date }

const questionVisibleTo = (db: Db, viewer: Viewer) => visibleTo(db, viewer, "qu", { mentions: false });

function questionColumns(db: Db) {
  return db`qu.id::text AS q_id, qu.iri AS q_iri, qu.url AS q_url, qu.local AS q_local, qu.group_id::text AS q_group_id,
    qu.visibility AS q_visibility, qu.title AS q_title, qu.source AS q_source, qu.content_html AS q_html,
    qu.accepted_answer_id::text AS q_accepted, qu.created_at AS q_created_at,
    ARRAY(SELECT t.tag FROM question_tags t WHERE t.question_id = qu.id ORDER BY t.tag) AS q_tags,
    (SELECT count(*)::int FROM answers an WHERE an.question_id = qu.id) AS q_answers, ${accountColumns(db)}`;
}

function toQuestion(r: Record<string, unknown>): QuestionView {
  return {
    id: r.q_id as string, iri: r.q_iri as string, url: r.q_url as string | null, local: r.q_local as boolean, author: toAccount(r),
    groupId: r.q_group_id as string | null, visibility: r.q_visibility as Visibility, title: r.q_title as string,
    source: r.q_source as string, html: r.q_html as string, tags: r.q_tags as string[], acceptedAnswerId: r.q_accepted as string | null,
    answers: r.q_answers as number, createdAt: r.q_created_at as Date,
  };
}

function tagsOf(input: string[]): string[] {
  const out = new Set<string>();
  for (const raw of input) {
    const t = normaliseTag(raw);
    if (!t) throw new DomainError("validation_failed", 422, `tags: "${raw.slice(0, 50)}" is not a tag`, "tags");
    out.add(t);
  }
  return [...out];
}

export async function findQuestion(db: Db, id: string, viewer: Viewer): Promise<QuestionView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [r] = await db`SELECT ${questionColumns(db)} FROM questions qu JOIN accounts a ON a.id = qu.account_id
    WHERE qu.id = ${id} AND ${questionVisibleTo(db, viewer)}`;
  return r ? toQuestion(r) : null;
}

/**
 * People who know the question's tags, from the directory's "who knows X" (as the asker may see the directory),
 * best match of each tag in turn, the asker left out.
 */
export async function suggestExperts(db: Db, tags: string[], askerId: string, limit: number = QUESTION_LIMITS.experts): Promise<Account[]> {
  const audience = profileAudienceOf(localViewer(askerId));
  const lists = await Promise.all(tags.slice(0, 5).map((tag) => searchDirectory(db, { knows: tag, limit: limit + 1 }, audience)));
  const out = new Map<string, Account>();
  for (let i = 0; out.size < limit && lists.some((l) => l.length > i); i++) {
    for (const l of lists) {
      const e = l[i];
      if (e && e.account.id !== askerId && !out.has(e.account.id) && out.size < limit) out.set(e.account.id, e.account);
    }
  }
  return [...out.values()];
}

export async function askQuestion(sql: Sql, origin: string, askerId: string, input: z.input<typeof questionInputSchema>): Promise<{ question: QuestionView; suggested: Account[] }> {
  const p = questionInputSchema.parse(input);
  const tags = tagsOf(p.tags);
  const id = await atomically(sql, async (tx) => {
    let groupId: string | null = null, visibility: Visibility = p.visibility;
    if (p.group_id) {
      const group = await findGroup(tx, p.group_id);
      if (!group) throw new DomainError("not_found", 404, "no such group");
      if (!(await isMember(tx, group.account.id, askerId))) throw new DomainError("forbidden", 403, "only the group's members ask in its space");
      groupId = group.account.id;
      visibility = group.account.locked ? "group" : visibility === "group" ? "internal" : visibility;
    } else if (visibility === "group") throw new DomainError("validation_failed", 422, "visibility: group needs a group_id", "visibility");
    const html = renderMarkdown(p.body);
    const [{ id }] = await tx`SELECT nextval(pg_get_serial_sequence('questions', 'id'))::text AS id`;
    await tx`INSERT INTO questions (id, iri, url, account_id, local, origin, group_id, visibility, title, source, content_html, content_text)
      OVERRIDING SYSTEM VALUE VALUES (${id}, ${`${origin}/ap/question/${id}`}, ${`${origin}/knowledge/questions/${id}`}, ${askerId}, true,
        ${origin}, ${groupId}, ${visibility}, ${p.title}, ${p.body}, ${html}, ${htmlToText(html)})`;
    if (tags.length) await tx`INSERT INTO question_tags ${tx(tags.map((tag) => ({ question_id: id, tag })))}`;
    return id as string;
  });
  const question = (await findQuestion(sql, id, localViewer(askerId)))!;
  return { question, suggested: tags.length ? await suggestExperts(sql, tags, askerId) : [] };
}

/** Asks these people to answer: one notification each, for those who may read the question (others are skipped). */
export async function askToAnswer(sql: Sql, questionId: string, askerId: string, accountIds: string[]): Promise<string[]> {
  const q = await findQuestion(sql, questionId, localViewer(askerId));
  if (!q) throw new DomainError("not_found", 404, "Record not found");
  const asked: string[] = [];
  for (const id of [...new Set(accountIds)].slice(0, 20)) {
    if (id === askerId || !(await findQuestion(sql, questionId, localViewer(id)))) continue;
    await atomically(sql, async (tx) => {
      await tx`INSERT INTO question_requests (question_id, account_id, asked_by) VALUES (${questionId}, ${id}, ${askerId}) ON CONFLICT DO NOTHING`;
      await notify(tx, { accountId: id, type: "ruche.question", fromAccountId: askerId, questionId });
    });
    asked.push(id);
  }
  return asked;
}

export async function answerQuestion(sql: Sql, origin: string, questionId: string, authorId: string, body: string): Promise<AnswerView> {
  const text = body.trim();
  if (!text) throw new DomainError("validation_failed", 422, "body: an answer says something", "body");
  if (text.length > QUESTION_LIMITS.answer) throw new DomainError("validation_failed", 422, `body: at most ${QUESTION_LIMITS.answer} characters`, "body");
  const q = await findQuestion(sql, questionId, localViewer(authorId));
  if (!q) throw new DomainError("not_found", 404, "Record not found");
  const html = renderMarkdown(text);
  const id = await atomically(sql, async (tx) => {
    const [{ id }] = await tx`SELECT nextval(pg_get_serial_sequence('answers', 'id'))::text AS id`;
    await tx`INSERT INTO answers (id, iri, question_id, account_id, local, source, content_html, content_text)
      OVERRIDING SYSTEM VALUE VALUES (${id}, ${`${origin}/ap/answer/${id}`}, ${q.id}, ${authorId}, true, ${text}, ${html}, ${htmlToText(html)})`;
    return id as string;
  });
  return (await answersOf(sql, q, localViewer(authorId))).find((a) => a.id === id)!;
}

export async function answersOf(db: Db, q: QuestionView, viewer: Viewer): Promise<AnswerView[]> {
  const me = viewerAccountId(viewer);
  const rows = await db`SELECT an.id::text AS an_id, an.source AS an_source, an.content_html AS an_html, an.created_at AS an_created_at,
      coalesce((SELECT sum(v.value)::int FROM answer_votes v WHERE v.answer_id = an.id), 0) AS an_score,
      coalesce((SELECT v.value::int FROM answer_votes v WHERE v.answer_id = an.id AND v.account_id = ${me}), 0) AS an_mine,
      ${accountColumns(db)}
    FROM answers an JOIN accounts a ON a.id = an.account_id WHERE an.question_id = ${q.id}
    ORDER BY (an.id = ${q.acceptedAnswerId ?? 0}) DESC, an_score DESC, an.id`;
  return rows.map((r) => ({
    id: r.an_id, questionId: q.id, author: toAccount(r), html: r.an_html, source: r.an_source, score: r.an_score, myVote: r.an_mine,
    accepted: r.an_id === q.acceptedAnswerId, createdAt: r.an_created_at,
  }));
}

async function answerWithQuestion(db: Db, answerId: string, viewer: Viewer): Promise<{ q: QuestionView; answerAuthorId: string }> {
  if (!/^\d{1,18}$/.test(answerId)) throw new DomainError("not_found", 404, "Record not found");
  const [r] = await db`SELECT question_id::text, account_id::text FROM answers WHERE id = ${answerId}`;
  const q = r ? await findQuestion(db, r.question_id, viewer) : null;
  if (!q) throw new DomainError("not_found", 404, "Record not found");
  return { q, answerAuthorId: r.account_id };
}

/** +1, −1, or 0 to take one's vote back. One's own answer gets no vote from oneself. */
export async function voteOnAnswer(sql: Sql, answerId: string, voterId: string, value: -1 | 0 | 1): Promise<number> {
  const { answerAuthorId } = await answerWithQuestion(sql, answerId, localViewer(voterId));
  if (answerAuthorId === voterId) throw new DomainError("own_answer", 422, "one does not vote on one's own answer");
  if (value === 0) await sql`DELETE FROM answer_votes WHERE answer_id = ${answerId} AND account_id = ${voterId}`;
  else {
    await sql`INSERT INTO answer_votes (answer_id, account_id, value) VALUES (${answerId}, ${voterId}, ${value})
      ON CONFLICT (answer_id, account_id) DO UPDATE SET value = excluded.value`;
  }
  const [{ score }] = await sql`SELECT coalesce(sum(value), 0)::int AS score FROM answer_votes WHERE answer_id = ${answerId}`;
  return score;
}

/** May this person accept an answer to `q`: its asker, the group's owner or moderators, or an instance admin. */
export async function mayAccept(db: Db, q: QuestionView, accountId: string): Promise<boolean> {
  if (!q.local) return false;
  if (q.author.id === accountId) return true;
  if (q.groupId) {
    const role = await roleOf(db, q.groupId, accountId);
    if (role === "owner" || role === "moderator") return true;
  }
  return (await findLocalUserById(db, accountId))?.role === "admin";
}

/** Marks (or, with null, clears) the accepted answer. */
export async function acceptAnswer(sql: Sql, questionId: string, actorId: string, answerId: string | null): Promise<void> {
  const q = await findQuestion(sql, questionId, localViewer(actorId));
  if (!q) throw new DomainError("not_found", 404, "Record not found");
  if (!(await mayAccept(sql, q, actorId))) throw new DomainError("forbidden", 403, "only the asker or a moderator accepts an answer");
  if (answerId) {
    const [a] = await sql`SELECT 1 FROM answers WHERE id = ${answerId} AND question_id = ${q.id}`;
    if (!a) throw new DomainError("answer_not_of_question", 422, "answer_id: not an answer to this question", "answer_id");
  }
  await sql`UPDATE questions SET accepted_answer_id = ${answerId} WHERE id = ${q.id}`;
}

export type QuestionState = "all" | "unanswered" | "answered";

/** Questions the viewer reads, newest first: unanswered (no accepted answer) or answered, per tag and per group. */
export async function listQuestions(db: Db, viewer: Viewer, opts: { state?: QuestionState; tag?: string; groupId?: string; limit?: number; maxId?: string } = {}): Promise<QuestionView[]> {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 80);
  const state = opts.state === "unanswered" ? db`AND qu.accepted_answer_id IS NULL` : opts.state === "answered" ? db`AND qu.accepted_answer_id IS NOT NULL` : db``;
  const rows = await db`SELECT ${questionColumns(db)} FROM questions qu JOIN accounts a ON a.id = qu.account_id
    WHERE ${questionVisibleTo(db, viewer)} ${state}
      ${opts.tag ? db`AND EXISTS (SELECT 1 FROM question_tags t WHERE t.question_id = qu.id AND t.tag = ${opts.tag})` : db``}
      ${opts.groupId ? db`AND qu.group_id = ${opts.groupId}` : db``}
      ${opts.maxId ? db`AND qu.id < ${opts.maxId}` : db``}
    ORDER BY qu.id DESC LIMIT ${limit}`;
  return rows.map(toQuestion);
}
