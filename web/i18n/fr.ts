// French catalog ("vous" form). Typed as `Catalog`, so a missing or extra key is a type error.
// French typography: a non-breaking space (\u00a0) before « : », « ? », « ! » and inside « ».
import type { Catalog } from "./en.ts";

import { frAccounts } from "./fr-accounts.ts";
import { frCharter } from "./fr-charter.ts";
import { frQuiet } from "./fr-quiet.ts";
import { frModeration } from "./fr-moderation.ts";
import { frPrivacy } from "./fr-privacy.ts";
import { frAdmin } from "./fr-admin.ts";
import { frAnalytics } from "./fr-analytics.ts";
import { frEvents } from "./fr-events.ts";
import { frMessages } from "./fr-messages.ts";
import { frOAuth } from "./fr-oauth.ts";
import { frPosts } from "./fr-posts.ts";
import { frPolls } from "./fr-polls.ts";
import { frProfiles } from "./fr-profiles.ts";
import { frShell } from "./fr-shell.ts";
import { frFilters } from "./fr-filters.ts";
import { frGroups } from "./fr-groups.ts";
import { frVideos } from "./fr-videos.ts";
import { frKnowledge } from "./fr-knowledge.ts";

export const fr: Catalog = {
  ...frProfiles,
  ...frPosts,
  ...frPolls,
  ...frAccounts,
  ...frCharter,
  ...frQuiet,
  ...frModeration,
  ...frPrivacy,
  ...frAdmin,
  ...frAnalytics,
  ...frEvents,
  ...frShell,
  ...frOAuth,
  ...frFilters,
  ...frGroups,
  ...frKnowledge,
  ...frMessages,
  ...frVideos,
  "app.name": "Ruche",

  "layout.skipToContent": "Aller au contenu principal",
  "layout.footer": "Ruche — réseau social d'entreprise fédéré, compatible ActivityPub.",
  "layout.signedInAs": "Session ouverte\u00a0: {name}",
  "layout.adminBadge": "Admin",

  "nav.label": "Navigation principale",
  "nav.home": "Accueil",
  "nav.profile": "Profil",
  "nav.followRequests": "Demandes d'abonnement",
  "nav.editProfile": "Modifier le profil",
  "nav.language": "Langue",
  "nav.logout": "Déconnexion",
  "nav.login": "Se connecter",

  "language.switchLabel": "Changer de langue",
  "language.name.fr": "Français",
  "language.name.en": "English",
  "language.title": "Langue",
  "language.intro": "Choisissez la langue de l'interface. Elle est enregistrée avec votre compte.",
  "language.legend": "Langue de l'interface",
  "language.submit": "Enregistrer",
  "timeZone.legend": "Fuseau horaire",
  "timeZone.intro": "Les heures sont affichées dans ce fuseau. Par défaut, celui de votre navigateur.",
  "timeZone.unset": "Celui de mon navigateur (UTC en attendant)",
  "timeZone.submit": "Enregistrer le fuseau horaire",
  "timeZone.invalid": "Fuseau horaire inconnu : choisissez-en un dans la liste.",

  "login.title": "Se connecter",
  "login.intro": "Utilisez le compte fourni par votre entreprise.",
  "login.username": "Nom d'utilisateur",
  "login.password": "Mot de passe",
  "login.submit": "Se connecter",
  "login.invalid": "Nom d'utilisateur ou mot de passe incorrect.",

  "home.title": "Accueil",
  "home.welcome": "Bienvenue sur {name}",
  "home.intro":
    "Ruche est le réseau social de votre entreprise\u00a0: suivez vos collègues, partagez des nouvelles et des photos, et trouvez dans l'annuaire qui sait quoi.",
  "home.federation":
    "Chaque filiale du groupe a son propre Ruche, relié à ceux des autres filiales\u00a0: vous suivez un collègue d'une autre filiale aussi facilement que votre voisin de bureau.",
  "home.userCount.one": "{count} compte dans cette filiale",
  "home.userCount.other": "{count} comptes dans cette filiale",
  "home.siblings.title": "Les autres filiales",
  "home.siblings.intro": "Vous pouvez suivre les collègues de ces filiales comme ceux de la vôtre.",
  "home.siblings.empty": "Cette filiale n'est encore reliée à aucune autre.",
  "home.signedOut": "Connectez-vous pour suivre vos collègues et voir leurs nouvelles.",

  "search.title": "Trouver un collègue",
  "search.label": "Nom d'utilisateur ou adresse",
  "search.hint": "Saisissez un nom d'utilisateur, ou une adresse complète comme {example}.",
  "search.exampleUser": "camille",
  "search.exampleHost": "filiale.exemple.fr",
  "search.submit": "Rechercher",
  "search.resultsFor": "Résultats pour «\u00a0{q}\u00a0»",
  "search.noResults": "Aucun compte trouvé pour «\u00a0{q}\u00a0».",

  "accounts.empty": "Personne pour l'instant.",
  "accounts.followersOf": "Abonnés de {name}",
  "accounts.followedBy": "Abonnements de {name}",

  "profile.followsYou": "Vous suit",
  "profile.lockedNote": "Compte verrouillé\u00a0: les demandes d'abonnement sont approuvées une à une.",
  "profile.followers.one": "{count} abonné",
  "profile.followers.other": "{count} abonnés",
  "profile.following.one": "{count} abonnement",
  "profile.following.other": "{count} abonnements",
  "profile.stats": "Relations",
  "profile.follow": "Suivre",
  "profile.requestFollow": "Demander à suivre",
  "profile.unfollow": "Ne plus suivre",
  "profile.cancelRequest": "Annuler la demande",
  "profile.requested": "Demande envoyée",
  "profile.edit": "Modifier le profil",
  "profile.loginToFollow": "Se connecter pour suivre",
  "profile.joined": "Membre depuis {date}",
  "profile.remote": "Compte hébergé sur {host}",
  "profile.viewOriginal": "Voir le profil d'origine",
  "profile.more": "Autres actions",
  "profile.block": "Bloquer {name}",
  "profile.blockConfirm": "Vous ne verrez plus les messages de {name}, qui ne verra plus les vôtres et ne pourra plus vous suivre. Vos abonnements de l'un à l'autre prennent fin.",
  "profile.blockYes": "Bloquer",
  "profile.unblock": "Débloquer {name}",
  "profile.unblockShort": "Débloquer",
  "profile.blocked": "Vous avez bloqué cette personne.",
  "profile.followersTitle": "Abonnés",
  "profile.followingTitle": "Abonnements",

  "editProfile.title": "Modifier le profil",
  "editProfile.displayName": "Nom affiché",
  "editProfile.bio": "Présentation",
  "editProfile.bioHint": "Quelques mots sur votre métier et sur ce pour quoi on peut vous solliciter.",
  "editProfile.avatar": "Photo de profil",
  "editProfile.avatarHint": "PNG, JPEG, WebP ou GIF. Laissez vide pour garder la photo actuelle.",
  "editProfile.locked": "Verrouiller mon compte",
  "editProfile.lockedHint": "Vous approuverez vous-même chaque demande d'abonnement.",
  "editProfile.maxChars": "{max}\u00a0caractères maximum.",
  "editProfile.submit": "Enregistrer",
  "editProfile.saved": "Votre profil a été enregistré.",
  "editProfile.errorSummary":
    "Votre profil n'a pas été enregistré. Corrigez les champs signalés ci-dessous.",
  "editProfile.error.displayNameTooLong": "Le nom affiché ne doit pas dépasser {max}\u00a0caractères.",
  "editProfile.error.bioTooLong": "La présentation ne doit pas dépasser {max}\u00a0caractères.",
  "editProfile.error.avatarType":
    "Ce format d'image n'est pas pris en charge. Utilisez PNG, JPEG, WebP ou GIF.",
  "editProfile.error.avatarTooLarge": "L'image ne doit pas dépasser {size}.",

  "followRequests.title": "Demandes d'abonnement",
  "followRequests.intro": "Ces personnes souhaitent suivre votre compte verrouillé.",
  "followRequests.empty": "Aucune demande en attente.",
  "followRequests.accept": "Accepter",
  "followRequests.reject": "Refuser",
  "followRequests.acceptLabel": "Accepter la demande de {name}",
  "followRequests.rejectLabel": "Refuser la demande de {name}",

  "error.heading": "Erreur {status}",
  "error.status.400": "Requête invalide",
  "error.status.401": "Connexion requise",
  "error.status.403": "Accès refusé",
  "error.status.404": "Page introuvable",
  "error.status.409": "Conflit",
  "error.status.413": "Contenu trop volumineux",
  "error.status.422": "Données invalides",
  "error.status.429": "Trop de requêtes",
  "error.status.500": "Erreur du serveur",
  "error.backHome": "Retour à l'accueil",
  "page.error.csrf": "Ce formulaire a expiré ou vient d'un autre site. Rechargez la page et réessayez.",
  "page.error.notFound": "Nous n'avons pas trouvé cette page.",
  "page.error.accountNotFound": "Nous n'avons pas trouvé ce compte. Les collègues des autres filiales se trouvent une fois connecté.",
  "page.error.remoteNotFound": "Cette adresse est introuvable, ou elle n'appartient à aucune filiale du groupe.",
  "page.error.generic": "Une erreur est survenue. Veuillez réessayer.",
};
