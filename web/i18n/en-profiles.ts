// English strings of the profiles and directory feature, merged into web/i18n/en.ts. Keys start with "profiles." or "directory.".
export const enProfiles = {
} as const satisfies Record<string, string>;
