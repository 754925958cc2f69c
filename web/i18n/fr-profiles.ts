// Chaînes françaises de la fonctionnalité profiles, fusionnées dans web/i18n/fr.ts (mêmes clés que en-profiles.ts).
import type { enProfiles } from "./en-profiles.ts";

export const frProfiles: { readonly [K in keyof typeof enProfiles]: string } = {
};
