// Delivery jobs about knowledge-base articles (issue #14) → Create/Update(Article) and their recipients, derived
// from the audience rule exactly as for a post of the same scope (outbox-posts.ts postRecipients): an internal
// article reaches the siblings' shared inboxes and nobody outside the group of companies; a project's, its members'
// servers.
import type { OutboxItem } from "../server/domain/outbox.ts";
import { findAccountById } from "../server/domain/accounts/accounts.ts";
import { findArticle } from "../server/domain/knowledge/articles.ts";
import { localViewer } from "../server/domain/audience/visibility.ts";
import { federates } from "../server/domain/audience/audience.ts";
import type { Ctx } from "./context.ts";
import { articleActivity } from "./mappers/article.ts";
import { type Built, postRecipients } from "./outbox-posts.ts";

export type ArticleOutboxItem = Extract<OutboxItem, { kind: "create-article" | "update-article" }>;

export function isArticleOutboxItem(item: OutboxItem): item is ArticleOutboxItem {
  return item.kind === "create-article" || item.kind === "update-article";
}

export async function buildArticleActivity(ctx: Ctx, item: ArticleOutboxItem): Promise<Built | null> {
  const [owner] = await ctx.data.sql`SELECT account_id::text FROM articles WHERE id = ${item.articleId} AND local`;
  if (!owner) return null;
  const article = await findArticle(ctx.data.sql, item.articleId, localViewer(owner.account_id as string));
  if (!article || !federates(article.visibility)) return null;
  // In a group's space: addressed to the group; one of ours is sent by the author to its members' servers (as a
  // post's edit is, outbox-posts.ts). A remote group's space is not written in from here (spaceOf needs a member).
  const group = article.groupId ? await findAccountById(ctx.data.sql, article.groupId) : null;
  if (article.groupId && group?.domain != null) return null;
  const activity = articleActivity(ctx.canonicalOrigin, article, item.kind === "create-article" ? "create" : "update", group?.iri ?? null);
  const recipients = await postRecipients(ctx, article.author, article.visibility, [], group?.id ?? null, { toGroupMembers: true });
  return { sender: article.author.username, recipients, activity, key: article.iri };
}
