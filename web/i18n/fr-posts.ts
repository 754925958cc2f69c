// Chaînes françaises de la fonctionnalité posts, fusionnées dans web/i18n/fr.ts (mêmes clés que en-posts.ts).
import type { enPosts } from "./en-posts.ts";

export const frPosts: { readonly [K in keyof typeof enPosts]: string } = {
};
