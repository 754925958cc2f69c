// English strings of the knowledge base, questions & answers and the group-wide search (issue #14).
export const enKnowledge = {
  "notifications.ruche.question": "{name} asks you to answer a question",
  "notifications.viewQuestion": "See the question",
} as const;
