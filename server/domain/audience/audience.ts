// The one audience rule (ARCHITECTURE.md §4): for every scope, who may read, how an activity is addressed, and
// (derived from who may read) where it is delivered. The SQL predicate every read path uses (visibility.ts), the
// Note addressing (federation/mappers/note.ts) and the recipients of a delivery (federation/outbox-posts.ts) all
// read this table; audience.test.ts checks that each derivation agrees with the readers it says. A new kind of
// object with a scope (poll, event, article, video) uses the same scopes; a new scope is one row here.
// `group` (issue #10) is such a row: a project's posts, read by the members of the group they are posted to (its
// accepted followers, on any instance) and by nobody else — not siblings, not followers, not the people they name.
// Whatever object carries a group (post, poll, event, article, video) stores the group's account in `group_id` and
// is addressed to the group (`to` and `audience`), which relays it to its members (FEP-1b12).

export const VISIBILITIES = ["public", "unlisted", "internal", "local", "followers", "direct", "group"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Who, besides the author, may read. */
export interface Readers {
  /** Anyone, signed in or not, on any server. */
  anyone: boolean;
  /** Employees of this instance. */
  employees: boolean;
  /** Employees of a sibling instance (their server's signed fetch, their shared inbox). */
  siblings: boolean;
  /** The author's accepted followers, wherever they are (a pending request grants nothing: corpus case 33). */
  followers: boolean;
  /**
   * People the post mentions: "everywhere", or "here" when only local ones may (a local post names them), or
   * "none" when naming someone grants nothing (a project's post naming a non-member stays in the project).
   */
  mentioned: "everywhere" | "here" | "none";
  /** The members of the post's group (the group's accepted followers, wherever they are). */
  members: boolean;
}

/**
 * An addressee of the activities: as:Public, the author's followers, the group of companies' internal audience, the
 * mentioned, the group (project or community) the post is posted to.
 */
export type Addressee = "public" | "followers" | "internal" | "mentioned" | "group";

export interface ScopeRule {
  readers: Readers;
  /**
   * Width order for replies: a reply is never wider than what it answers, so an answer to an internal post does
   * not carry the conversation to the open fediverse (local sits below internal: it stays on this instance).
   */
  width: number;
  /** Shown in public and group timelines (unlisted: readable by anyone, listed nowhere). */
  listed: boolean;
  /** Mastodon's addressing (activitypub-shapes.md §2.2); null: never leaves the instance. */
  addressing: { to: Addressee[]; cc: Addressee[] } | null;
}

export const SCOPES: Record<Visibility, ScopeRule> = {
  public: {
    width: 5, readers: { anyone: true, employees: true, siblings: true, followers: true, mentioned: "everywhere", members: false },
    listed: true, addressing: { to: ["public"], cc: ["followers", "mentioned"] },
  },
  unlisted: {
    width: 4, readers: { anyone: true, employees: true, siblings: true, followers: true, mentioned: "everywhere", members: false },
    listed: false, addressing: { to: ["followers"], cc: ["public", "mentioned"] },
  },
  internal: {
    width: 3, readers: { anyone: false, employees: true, siblings: true, followers: false, mentioned: "here", members: false },
    listed: true, addressing: { to: ["followers", "internal"], cc: ["mentioned"] },
  },
  local: {
    width: 2, readers: { anyone: false, employees: true, siblings: false, followers: false, mentioned: "here", members: false },
    listed: true, addressing: null,
  },
  followers: {
    width: 1, readers: { anyone: false, employees: false, siblings: false, followers: true, mentioned: "everywhere", members: false },
    listed: false, addressing: { to: ["followers"], cc: ["mentioned"] },
  },
  direct: {
    width: 0, readers: { anyone: false, employees: false, siblings: false, followers: false, mentioned: "everywhere", members: false },
    listed: false, addressing: { to: ["mentioned"], cc: [] },
  },
  // Below followers and above direct in width: an answer to a project's post stays in the project (it inherits the
  // group, posts.ts), and only a direct answer is narrower.
  group: {
    width: 0.5, readers: { anyone: false, employees: false, siblings: false, followers: false, mentioned: "none", members: true },
    listed: false, addressing: { to: ["group"], cc: [] },
  },
};

export function narrowest(a: Visibility, b: Visibility): Visibility {
  return SCOPES[a].width <= SCOPES[b].width ? a : b;
}

/** Scopes whose rule says `test`, in table order (SQL `IN (…)` lists). */
export function scopesWhere(test: (rule: ScopeRule) => boolean): Visibility[] {
  return VISIBILITIES.filter((v) => test(SCOPES[v]));
}

/** Scopes that leave this instance at all. */
export function federates(v: Visibility): boolean {
  // (group: its members may be on other instances, so it federates — to the group alone, deliveryOf.)
  return SCOPES[v].addressing != null;
}

/**
 * Scopes that may be boosted. A boost keeps its original's scope (addressed and delivered like a post of that scope),
 * so it can only be offered where the readers are a group — anyone, or the employees (internal: the group's
 * employees) — and never a relation to the author: a followers-only or direct post boosted by someone else would
 * reach the booster's followers, who are not the author's (corpus case 34).
 */
export function isBoostable(v: Visibility): boolean {
  const { readers } = SCOPES[v];
  return readers.anyone || readers.employees;
}

/**
 * Where a post's activities go, derived from who may read it. `followers`/`mentioned`: "allowed" = every server
 * the federation mode allows, "siblings" = sibling servers only, "none". `siblingInstances`: each sibling's shared
 * inbox (its employees may read it without following anyone: the group timeline).
 */
export interface Delivery {
  followers: "allowed" | "siblings" | "none";
  mentioned: "allowed" | "siblings" | "none";
  siblingInstances: boolean;
  /** The group's own inbox (a remote group relays to its members; a local one announces to them itself). */
  group: boolean;
}

export function deliveryOf(v: Visibility): Delivery {
  const { readers } = SCOPES[v];
  if (!federates(v)) return { followers: "none", mentioned: "none", siblingInstances: false, group: false };
  const reach = (granted: boolean) => (readers.anyone || granted ? "allowed" : readers.siblings ? "siblings" : "none");
  return {
    followers: reach(readers.followers),
    mentioned: reach(readers.mentioned === "everywhere"),
    siblingInstances: readers.anyone || readers.siblings,
    group: readers.members,
  };
}
