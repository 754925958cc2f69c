// Chaînes françaises de la connexion et des comptes, fusionnées dans web/i18n/fr.ts (mêmes clés que en-accounts.ts).
import type { enAccounts } from "./en-accounts.ts";

export const frAccounts: { readonly [K in keyof typeof enAccounts]: string } = {
  "login.tooMany": "Trop de tentatives de connexion. Réessayez dans {minutes}\u00a0min.",
  "nav.password": "Mot de passe",
  "password.title": "Changer de mot de passe",
  "password.intro": "Changer de mot de passe vous déconnecte partout ailleurs.",
  "password.current": "Mot de passe actuel",
  "password.new": "Nouveau mot de passe",
  "password.confirm": "Nouveau mot de passe, à nouveau",
  "password.hint": "Au moins {min} caractères. Une phrase de quelques mots est facile à retenir et difficile à deviner.",
  "password.submit": "Changer le mot de passe",
  "password.saved": "Votre mot de passe a été changé. Vos autres sessions ont été déconnectées.",
  "password.errorSummary": "Votre mot de passe n'a pas été enregistré. Corrigez les champs signalés ci-dessous.",
  "password.error.tooShort": "Un mot de passe compte au moins {min} caractères.",
  "password.error.tooLong": "Un mot de passe compte au plus {max} caractères.",
  "password.error.mismatch": "Les deux mots de passe ne sont pas identiques.",
  "password.error.wrongCurrent": "Ce n'est pas votre mot de passe actuel.",
  "invitation.title": "Choisissez votre mot de passe",
  "invitation.intro": "Bienvenue sur {instance}. Choisissez le mot de passe de votre compte pour vous connecter.",
  "invitation.expires": "Ce lien sert une seule fois, jusqu'au {date}.",
  "invitation.submit": "Enregistrer et me connecter",
  "invitation.invalid": "Ce lien d'invitation ne fonctionne plus\u00a0: il a déjà servi, il a expiré ou un lien plus récent l'a remplacé. Demandez un nouveau lien à votre service informatique.",
};
