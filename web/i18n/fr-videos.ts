// Chaînes françaises de la WebTV (clés : voir en-videos.ts).
import type { enVideos } from "./en-videos.ts";

export const frVideos: { readonly [K in keyof typeof enVideos]: string } = {
  "videos.player": "Lecteur vidéo",
  "videos.processing": "Cette vidéo est en préparation. Elle sera lisible ici dans quelques secondes\u00a0: rechargez la page.",
  "videos.moreQualities": "Lecture dans la première qualité\u00a0; les autres sont en préparation.",
  "videos.failed": "Cette vidéo n'a pas pu être préparée\u00a0: {error}",
  "videos.quality": "Qualité",
  "videos.qualityAuto": "Automatique",
  "videos.qualityLabel": "{height}p",
  "videos.keyboard": "Clavier\u00a0: Espace ou K lecture et pause, ← et → 5 secondes, M coupe le son, F plein écran.",
  "videos.noScript": "Si la vidéo ne démarre pas, votre navigateur a besoin de JavaScript pour la lire.",
  "videos.by": "Par",
  "videos.duration": "Durée\u00a0: {duration}",
  "videos.playError": "La vidéo ne peut pas être lue dans ce navigateur.",

  "videos.new.title": "Partager une vidéo",
  "videos.new.intro": "Réunion générale, tutoriel, démo de projet : la vidéo est lisible par son public quelques secondes après l'envoi, pendant que les autres qualités se préparent.",
  "videos.new.file": "Fichier vidéo",
  "videos.new.fileHint": "Jusqu'à {size} Mio et {minutes} minutes. Une connexion coupée reprend là où elle s'est arrêtée.",
  "videos.new.titleField": "Titre",
  "videos.new.description": "Description",
  "videos.new.visibility": "Qui peut la voir",
  "videos.new.submit": "Envoyer",
  "videos.new.progress": "{percent} % envoyés · {speed} Mo/s · encore {left}",
  "videos.new.paused": "Connexion perdue : reprise là où l'envoi s'est arrêté…",
  "videos.new.processing": "Envoi terminé : vérification de la vidéo…",
  "videos.new.failed": "L'envoi a échoué : {error}",
  "videos.new.missingFile": "Choisissez un fichier vidéo.",
  "videos.new.link": "Partager une vidéo",
};
