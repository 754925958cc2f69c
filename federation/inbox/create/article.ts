// Articles from siblings (Create and Update, dispatched by ./index.ts): stored in the knowledge base. Checks:
//   - the article's id is on the signer's origin and attributed to the signer alone (corpus cases 7, 8 and 31): a
//     remote Update(Article) of an article from another origin, or in another's name, changes nothing;
//   - only a sibling's articles are kept (the knowledge base is the group of companies'); an outsider's Article
//     stays what Mastodon makes of it, a post (note.ts);
//   - an article in a group's space comes from that group's own instance (a project's articles are sent by their
//     author to its members' servers; nobody elsewhere can file an article in a project), and a project's article
//     is read by its members only here too (the group scope).
import type { Article } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Ctx } from "../../context.ts";
import { resolveActorByIri } from "../../remote-actors.ts";
import { apToRemoteArticle } from "../../mappers/article.ts";
import { upsertRemoteArticle } from "../../../server/domain/knowledge/articles-remote.ts";
import { findGroupAmong } from "../../../server/domain/groups/groups.ts";

const logger = getLogger(["ruche", "federation", "inbox"]);

export async function ingestArticle(ctx: Ctx, article: Article, actorIri: string, mode: "create" | "update"): Promise<void> {
  const actorOrigin = new URL(actorIri).origin;
  const attributed = article.attributionIds.map((u) => u.href);
  if (!article.id || article.id.origin !== actorOrigin || attributed.length !== 1 || attributed[0] !== actorIri) {
    logger.info("{mode} of article {iri} by {actor} refused: not the signer's own", { mode, iri: article.id?.href ?? null, actor: actorIri });
    return;
  }
  const author = await resolveActorByIri(ctx, actorIri, { maxAgeMs: 86_400_000 });
  if (!author || author.domain == null) return;
  const group = await findGroupAmong(ctx.data.sql, [...article.audienceIds, ...article.toIds, ...article.ccIds].map((u) => u.href));
  if (group && (group.local || new URL(group.account.iri).origin !== actorOrigin)) {
    logger.info("Article {iri} by {actor} refused: filed in {group}, which is not its instance's", { iri: article.id.href, actor: actorIri, group: group.account.iri });
    return;
  }
  const input = await apToRemoteArticle(article, author, { sibling: true, group: group ? { id: group.account.id, locked: group.account.locked } : null });
  if (!input) return;
  const result = await upsertRemoteArticle(ctx.data.sql, input);
  logger.debug("Article {iri} from {actor}: {result}", { iri: input.iri, actor: actorIri, result });
}
