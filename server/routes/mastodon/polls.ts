// /api/v1/polls/:id and /api/v1/polls/:id/votes (Mastodon's). A poll's id is its post's; a poll the viewer may not
// read is a 404, like its post. Vote rules and their messages are the domain's (polls/polls.ts): 422
// "Validation failed: …" for a closed poll, one's own, a second vote or a missing option.
import type { Hono } from "hono";
import { z } from "zod";
import { castVote } from "../../domain/polls/polls.ts";
import { loadPost } from "../../domain/posts/post-views.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiContext, type ApiEnv, scopeRequired, tokenOptional, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams, parse } from "./params.ts";
import { pollEntity } from "./status-serializer.ts";
import { viewerFor } from "./statuses.ts";

const choice = z.union([z.number().int(), z.string().regex(/^\d{1,2}$/, "must be an option's index").transform(Number)]);
const voteSchema = z.object({
  choices: z.union([choice, z.array(choice).max(20)]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

export function registerPolls(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql } = deps;

  async function pollOf(c: ApiContext) {
    const post = await loadPost(sql, c.req.param("id") ?? "", viewerFor(c));
    if (!post?.poll || post.reblog) throw notFound();
    return post.poll;
  }

  api.get("/api/v1/polls/:id{[0-9]+}", tokenOptional(deps), scopeRequired(["read:statuses"]), async (c) => c.json(pollEntity(await pollOf(c))));

  api.post("/api/v1/polls/:id{[0-9]+}/votes", tokenRequired(deps), scopeRequired(["write:statuses"]), async (c) => {
    const viewer = viewerOf(c);
    const poll = await pollOf(c);
    const { choices } = parse(voteSchema, await bodyParams(c));
    await castVote(sql, { postId: poll.id, voterId: viewer.accountId, viewer: localViewer(viewer.accountId), choices });
    return c.json(pollEntity(await pollOf(c)));
  });
}
