// Siblings' articles (issue #14): stored so that they are read and found here like ours (search.ts), read-only
// (edited on their own instance). Each Update is kept as a revision, so the history page shows it here too. The
// caller (federation/inbox/create/article.ts) has checked that the article's id and attribution are the signer's.
import { atomically, type Db } from "../../db/pool.ts";
import type { Visibility } from "../audience/visibility.ts";
import { titleKey } from "./article-html.ts";

export interface RemoteArticleInput {
  iri: string;
  url: string | null;
  authorId: string;
  origin: string;
  visibility: Visibility;
  /** The group (its account here) whose space it is in. */
  groupId: string | null;
  title: string;
  summary: string;
  source: string;
  html: string;
  text: string;
  tags: string[];
  publishedAt: Date | null;
  updatedAt: Date | null;
}

/** Stores or refreshes a remote article; "refused" when its IRI is ours, another author's, or deleted. */
export async function upsertRemoteArticle(db: Db, a: RemoteArticleInput): Promise<"stored" | "updated" | "unchanged" | "refused"> {
  return await atomically(db, async (tx) => {
    const [tomb] = await tx`SELECT 1 FROM tombstones WHERE iri = ${a.iri}`;
    if (tomb) return "refused";
    const [known] = await tx`SELECT id::text, account_id::text, local, source, title, content_html FROM articles WHERE iri = ${a.iri} FOR UPDATE`;
    if (known && (known.local || known.account_id !== a.authorId)) return "refused";
    if (known) {
      if (known.title === a.title && known.source === a.source && known.content_html === a.html) return "unchanged";
      await tx`UPDATE articles SET title = ${a.title}, title_key = ${titleKey(a.title)}, summary = ${a.summary}, source = ${a.source},
          content_html = ${a.html}, content_text = ${a.text}, visibility = ${a.visibility}, group_id = ${a.groupId}, url = ${a.url},
          updated_at = ${a.updatedAt ?? new Date()} WHERE id = ${known.id}`;
      await revision(tx, known.id as string, a);
      await tags(tx, known.id as string, a.tags);
      return "updated";
    }
    // An Update of an article we never received stores it (it may have been written before we were siblings).
    const [row] = await tx`INSERT INTO articles (iri, url, account_id, local, origin, visibility, group_id, title, title_key, summary, source,
        content_html, content_text, created_at, updated_at)
      VALUES (${a.iri}, ${a.url}, ${a.authorId}, false, ${a.origin}, ${a.visibility}, ${a.groupId}, ${a.title}, ${titleKey(a.title)}, ${a.summary},
        ${a.source}, ${a.html}, ${a.text}, ${a.publishedAt ?? new Date()}, ${a.updatedAt ?? a.publishedAt ?? new Date()})
      ON CONFLICT (iri) DO NOTHING RETURNING id::text`;
    if (!row) return "unchanged";
    await revision(tx, row.id as string, a);
    await tags(tx, row.id as string, a.tags);
    return "stored";
  });
}

async function revision(tx: Db, articleId: string, a: RemoteArticleInput): Promise<void> {
  const [r] = await tx`INSERT INTO article_revisions (article_id, author_id, title, source, created_at)
    VALUES (${articleId}, ${a.authorId}, ${a.title}, ${a.source || a.text}, ${a.updatedAt ?? new Date()}) RETURNING id::text`;
  await tx`UPDATE articles SET revision_id = ${r.id} WHERE id = ${articleId}`;
}

async function tags(tx: Db, articleId: string, list: string[]): Promise<void> {
  await tx`DELETE FROM article_tags WHERE article_id = ${articleId}`;
  if (list.length) await tx`INSERT INTO article_tags ${tx([...new Set(list)].map((tag) => ({ article_id: articleId, tag })))}`;
}
