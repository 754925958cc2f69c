// English strings of posts, timelines and notifications, merged into web/i18n/en.ts. Keys start with "posts.", "timeline.", "notifications." or "tags.".
export const enPosts = {
} as const satisfies Record<string, string>;
