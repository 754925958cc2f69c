// French strings of the knowledge base, questions & answers and the group-wide search (keys: see en-knowledge.ts).
import type { enKnowledge } from "./en-knowledge.ts";

export const frKnowledge: { readonly [K in keyof typeof enKnowledge]: string } = {
  "notifications.ruche.question": "{name} vous demande de répondre à une question",
  "notifications.viewQuestion": "Voir la question",
};
