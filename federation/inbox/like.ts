import { type Like, Note } from "@fedify/vocab";
import { receiveLike } from "../../server/domain/posts/interactions.ts";
import type { Ctx } from "../context.ts";
import { resolveActorByIri } from "../remote-actors.ts";

/** The id of one of our posts named by `url` (/ap/note/{id}), else null. */
export function localPostId(ctx: Ctx, url: URL | null): string | null {
  if (!url) return null;
  const parsed = ctx.parseUri(url);
  return parsed?.type === "object" && parsed.class === Note ? (parsed.values.id ?? null) : null;
}

/** Like of one of our posts: counted only if the liker may read it (no liking a followers-only post from outside). */
export async function onLike(ctx: Ctx, like: Like): Promise<void> {
  if (!like.id || !like.actorId) return;
  const postId = localPostId(ctx, like.objectId);
  if (!postId) return;
  const actor = await resolveActorByIri(ctx, like.actorId.href, { maxAgeMs: 86_400_000 });
  if (!actor || actor.domain == null) return;
  await receiveLike(ctx.data.sql, {
    iri: like.id.href, accountId: actor.id, postId,
    viewer: { kind: "remote", accountId: actor.id, domain: actor.domain, sibling: ctx.data.siblings.isSibling(like.actorId.origin), instanceActor: false },
  });
}
