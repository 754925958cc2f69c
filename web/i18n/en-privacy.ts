// English strings of a person's data rights (issue #16 point 3): deleting one's account, with its grace period.
export const enPrivacy = {
  "deletion.nav": "Delete my account",
  "deletion.title": "Delete my account",
  "deletion.intro": "Your posts, messages, images, profile and follows will be erased, here and on the other subsidiaries. Likes and votes you gave, and the rest, go a week later. This cannot be undone.",
  "deletion.grace": "The deletion happens {days} days after you ask: until then you can change your mind on this page.",
  "deletion.exportFirst": "Download your data first",
  "deletion.confirm": "To confirm, type your username ({username})",
  "deletion.submit": "Delete my account",
  "deletion.mismatch": "Type your username exactly to confirm.",
  "deletion.lastAdmin": "You are the last administrator: make someone else administrator first.",
  "deletion.planned": "Your account will be deleted on",
  "deletion.cancel": "Keep my account",
  "deletion.cancelled": "Your account is kept.",
  "deletion.banner": "Your account will be deleted soon.",
  "deletion.bannerLink": "Keep it",
} as const;
