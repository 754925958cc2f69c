// Articles from siblings (Create and Update, dispatched by ./index.ts): stored in the knowledge base. Checks:
//   - the article's id is on the signer's origin and attributed to the signer alone (corpus cases 7, 8 and 31): a
//     remote Update(Article) of an article from another origin, or in another's name, changes nothing;
//   - only a sibling's articles are kept (the knowledge base is the group of companies'); an outsider's Article
//     stays what Mastodon makes of it, a post (note.ts).
import type { Article } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import type { Ctx } from "../../context.ts";
import { resolveActorByIri } from "../../remote-actors.ts";
import { apToRemoteArticle } from "../../mappers/article.ts";
import { upsertRemoteArticle } from "../../../server/domain/knowledge/articles-remote.ts";

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
  const input = await apToRemoteArticle(article, author, { sibling: true });
  if (!input) return;
  const result = await upsertRemoteArticle(ctx.data.sql, input);
  logger.debug("Article {iri} from {actor}: {result}", { iri: input.iri, actor: actorIri, result });
}
