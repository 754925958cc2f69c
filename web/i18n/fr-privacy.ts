// Chaînes françaises des droits d'une personne sur ses données (clés : voir en-privacy.ts).
import type { enPrivacy } from "./en-privacy.ts";

export const frPrivacy: { readonly [K in keyof typeof enPrivacy]: string } = {
  "deletion.nav": "Supprimer mon compte",
  "deletion.title": "Supprimer mon compte",
  "deletion.intro": "Vos messages, vos images, votre profil et vos abonnements seront effacés, ici et dans les autres filiales. Les mentions «\u00a0j'aime\u00a0» et les votes que vous avez donnés, et le reste, partent une semaine plus tard. C'est définitif.",
  "deletion.grace": "La suppression a lieu {days} jours après votre demande\u00a0: d'ici là, vous pouvez changer d'avis sur cette page.",
  "deletion.exportFirst": "Télécharger d'abord vos données",
  "deletion.confirm": "Pour confirmer, tapez votre nom d'utilisateur ({username})",
  "deletion.submit": "Supprimer mon compte",
  "deletion.mismatch": "Tapez exactement votre nom d'utilisateur pour confirmer.",
  "deletion.lastAdmin": "Vous êtes le dernier administrateur\u00a0: nommez d'abord quelqu'un d'autre administrateur.",
  "deletion.planned": "Votre compte sera supprimé le",
  "deletion.cancel": "Garder mon compte",
  "deletion.cancelled": "Votre compte est conservé.",
  "deletion.banner": "Votre compte sera bientôt supprimé.",
  "deletion.bannerLink": "Le garder",
};
