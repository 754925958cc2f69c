// Post objects and post collections served over ActivityPub, one object path per type (BotKit-style):
//   /ap/note/{id}                 a local post as a Note — authorized fetch per visibility (post-access.ts)
//   /users/{identifier}/outbox    Create(Note) of the posts the signed reader may see, newest first
//   /users/{identifier}/featured  pinned posts the signed reader may see
//   /ap/audiences/internal        the audience `internal` posts are addressed to: the instance actors of the group
//                                 (this one and its siblings), for siblings' signed fetches only
// Boosts (/ap/announce/{id}) and likes are not dereferenceable, as on Mastodon.
import type { Federation, RequestContext } from "@fedify/fedify";
import { Application, type Event, Note } from "@fedify/vocab";
import { findLocalUser } from "../../server/domain/accounts/accounts.ts";
import { pinnedPostIds } from "../../server/domain/posts/interactions.ts";
import { loadPost, loadPosts, postRow } from "../../server/domain/posts/post-views.ts";
import { accountTimeline } from "../../server/domain/timelines/timelines.ts";
import { ANONYMOUS, canRead, localViewer, type Viewer } from "../../server/domain/audience/visibility.ts";
import type { AppContext } from "../context.ts";
import { postToCreate, postToNote } from "../mappers/note.ts";
import { postObject } from "../mappers/video.ts";
import { withEventTerms } from "../mappers/event.ts";
import { refuse, signedViewer } from "../post-access.ts";
import { instanceActorIri } from "../uris.ts";

/** The reader of a collection: the signer, or anonymous when unsigned (then only public posts are listed). */
async function collectionViewer(ctx: RequestContext<AppContext>): Promise<Viewer> {
  return (await signedViewer(ctx)) ?? ANONYMOUS;
}

/** In siblings mode nothing is served unsigned (the guard already refused outsiders' signatures with 403). */
async function openOrSigned(ctx: RequestContext<AppContext>): Promise<boolean> {
  if (ctx.data.config.federation === "open") return true;
  return (await signedViewer(ctx)) ? true : refuse(ctx.request, 401);
}

export function registerPostDispatchers(federation: Federation<AppContext>): void {
  federation
    .setObjectDispatcher(Note, "/ap/note/{id}", async (ctx, { id }) => {
      const row = await postRow(ctx.data.sql, id);
      if (!row || !row.local || row.reblogOfId != null) return null;
      // Loaded as its author sees it; the authorize predicate below decides who may receive it.
      const post = await loadPost(ctx.data.sql, id, localViewer(row.accountId));
      if (!post) return null;
      // An event's document carries Mobilizon's terms (mappers/event.ts), a WebTV video's is a Video
      // (mappers/video.ts); receivers read them from here, and the path stays the post's.
      if (post.event) return await withEventTerms(ctx, postToNote(ctx, post) as Event, post.event) as unknown as Note;
      return (await postObject(ctx, post)) as Note;
    })
    .authorize(async (ctx, { id }) => {
      const row = await postRow(ctx.data.sql, id);
      if (!row) return true; // the dispatcher answered 404 already
      // Open mode: public posts are for everyone. Siblings mode: only signed siblings fetch anything.
      if ((row.visibility === "public" || row.visibility === "unlisted") && ctx.data.config.federation === "open") return true;
      const viewer = await signedViewer(ctx);
      if (!viewer) return refuse(ctx.request, 401);
      return (await canRead(ctx.data.sql, viewer, id)) ? true : refuse(ctx.request, 403);
    });

  federation
    .setOutboxDispatcher("/users/{identifier}/outbox", async (ctx, identifier, cursor) => {
      const user = await findLocalUser(ctx.data.sql, identifier);
      if (!user || user.disabled) return null;
      const viewer = await collectionViewer(ctx);
      const page = await accountTimeline(ctx.data.sql, viewer, user.account.id, {
        maxId: cursor ? cursor : undefined, limit: 20, excludeReblogs: true,
      });
      const items = await Promise.all(page.items.map(async (post) => postToCreate(ctx, post, await postObject(ctx, post))));
      return { items, nextCursor: page.nextMaxId };
    })
    .setFirstCursor(() => "")
    .authorize(openOrSigned);

  federation
    .setCollectionDispatcher("internal-audience", Application, "/ap/audiences/{name}", async (ctx, { name }) => {
      if (name !== "internal") return null;
      const origins = [ctx.data.siblings.selfOrigin, ...ctx.data.siblings.list()];
      return { items: origins.map((o) => new Application({ id: instanceActorIri(o) })) };
    })
    .authorize(async (ctx) => {
      const viewer = await signedViewer(ctx);
      if (!viewer) return refuse(ctx.request, 401);
      return viewer.kind === "remote" && viewer.sibling ? true : refuse(ctx.request, 403);
    });

  federation.setFeaturedDispatcher("/users/{identifier}/featured", async (ctx, identifier) => {
    const user = await findLocalUser(ctx.data.sql, identifier);
    if (!user || user.disabled) return null;
    const viewer = await collectionViewer(ctx);
    const posts = await loadPosts(ctx.data.sql, await pinnedPostIds(ctx.data.sql, user.account.id), viewer);
    return { items: await Promise.all(posts.filter((p) => p.local).map((p) => postObject(ctx, p))) as Note[] };
  }).authorize(openOrSigned);
}
