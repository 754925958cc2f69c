// How an activity reads as JSON-LD, checked before Fedify expands it: which contexts it needs (never fetched) and
// whether its actor and id mean, once expanded, what the guard's plain-JSON checks saw.
import { preloadedContexts } from "@fedify/fedify";
import { Activity } from "@fedify/vocab";
import { createContextLoader, preloadedContextUrl } from "../document-loader.ts";

// Case 20: JSON-LD contexts come only from Fedify's preloaded set (our context loader never fetches). Every string
// given as a context — at the top, in embedded objects, scoped in term definitions, or pulled in by `@import` —
// must be one of them; an activity naming 50 remote contexts is refused here, with a clear 400, without a fetch.
const contextLoader = createContextLoader();

export function unknownContexts(value: unknown): string[] {
  const refs = new Set<string>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      stack.push(...v);
      continue;
    }
    for (const [k, child] of Object.entries(v)) {
      if (k === "@context" || k === "@import") {
        for (const c of Array.isArray(child) ? child : [child]) if (typeof c === "string") refs.add(c);
      }
      stack.push(child);
    }
  }
  return [...refs].filter((ref) => preloadedContextUrl(ref) === null);
}

/**
 * JSON-LD differential: the inbox guard's origin and key checks read the plain JSON keys `actor` and `id`, Fedify
 * reads the expanded JSON-LD. An inline context can alias them (`{"actor": "https://x/decoy", "sneaky": {"@id": "as:actor"}}`), so
 * the guard would authenticate one actor while Fedify — which accepts a key whose document merely claims the
 * victim as owner (GHSA-q9f8) — acts for another. Both readings must agree.
 */
export async function jsonLdReadingAgrees(activity: Record<string, unknown>, actorIri: string): Promise<boolean> {
  const plain = plainReadingHolds(activity, actorIri);
  if (plain !== "unsure") return plain;
  return await expandedReadingAgrees(activity, actorIri);
}

/** The expanded reading, as Fedify will read the activity (costs one full JSON-LD expansion, ~1 ms). */
export async function expandedReadingAgrees(activity: Record<string, unknown>, actorIri: string): Promise<boolean> {
  const { signature: _ldSignature, ...unsigned } = activity; // Fedify reads the activity without it too
  let parsed: Activity, id: string | null, actor: string;
  try {
    id = typeof activity.id === "string" ? new URL(activity.id).href : null;
    actor = new URL(actorIri).href;
    parsed = await Activity.fromJsonLd(unsigned, {
      contextLoader,
      documentLoader: async (url: string) => {
        throw new Error(`no fetch while checking an activity: ${url}`);
      },
    });
  } catch {
    return false;
  }
  const actors = parsed.actorIds.map((u) => u.href);
  return actors.length === 1 && actors[0] === actor && (parsed.id?.href ?? null) === id;
}

// The plain reading, without expanding: most activities (Mastodon's, Fedify's, ours) use the ActivityStreams
// context plus inline term definitions that cannot touch `id` or `actor`. When the contexts show that — no term but
// `id` means @id, no term but `actor` means as:actor, no keyword alias that reshapes the node, no @vocab that could
// spell as:actor, the node's type a plain ActivityStreams term, every top-level key a plain term — the plain keys
// are what Fedify will read, and the expansion is skipped. Anything else is "unsure" and takes the expanded path.

const AS_NS = "https://www.w3.org/ns/activitystreams#";
const AS_ACTOR = `${AS_NS}actor`;
const AS_URL = "https://www.w3.org/ns/activitystreams";
/** Keywords a term may alias without changing which node the top-level keys describe. */
const HARMLESS_KEYWORDS = new Set(["@type", "@language", "@direction", "@value", "@list", "@set", "@json", "@none", "@index"]);

type TermMap = Map<string, unknown>;

/** Resolves a term's IRI mapping (string or {"@id"}) against the terms defined so far; null when unsure. */
function resolveIri(value: string, terms: TermMap, depth = 0): string | null {
  if (depth > 4) return null;
  if (value.startsWith("@")) return value;
  if (value.startsWith("_:") || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  const colon = value.indexOf(":");
  if (colon > 0) {
    const prefix = terms.get(value.slice(0, colon));
    const base = typeof prefix === "string" ? prefix : prefix && typeof prefix === "object" ? (prefix as Record<string, unknown>)["@id"] : undefined;
    if (typeof base !== "string") return /^[a-z][a-z0-9+.-]*:/i.test(value) && !terms.has(value.slice(0, colon)) ? value : null;
    const resolved = resolveIri(base, terms, depth + 1);
    return resolved == null ? null : resolved + value.slice(colon + 1);
  }
  const t = terms.get(value);
  if (t === undefined) return null;
  return typeof t === "string" ? resolveIri(t, terms, depth + 1) : null;
}

/** Adds one context's definitions; false when a definition could make `id` or `actor` read differently. */
function addDefinitions(ctx: Record<string, unknown>, terms: TermMap, fromAs: boolean): boolean {
  // JSON-LD resolves a context's definitions in any order (a prefix may be defined after its use): register all of
  // them first, then resolve each against the result.
  for (const [term, def] of Object.entries(ctx)) if (!term.startsWith("@")) terms.set(term, def);
  for (const [term, def] of Object.entries(ctx)) {
    if (term === "@vocab") {
      if (typeof def !== "string" || (def !== "_:" && AS_ACTOR.startsWith(resolveIri(def, terms) ?? AS_NS))) return false;
      continue;
    }
    if (term === "@version" || term === "@language" || term === "@direction" || term === "@protected") continue;
    if (term.startsWith("@")) return false; // @base, @import, @propagate, @type …
    if (!fromAs && (term === "actor" || term.includes(":"))) return false;
    let iri: unknown = def;
    if (def !== null && typeof def === "object") {
      const d = def as Record<string, unknown>;
      // A scoped context only applies below its property, or to a node of its type (the type is checked below).
      if ("@reverse" in d || "@nest" in d) return false;
      iri = d["@id"];
    }
    if (iri === null || iri === undefined) continue;
    if (typeof iri !== "string") return false;
    const resolved = resolveIri(iri, terms);
    if (resolved === null) return false;
    if (resolved === "@id" && term !== "id") return false;
    if (resolved === AS_ACTOR && term !== "actor") return false;
    if (resolved.startsWith("@") && resolved !== "@id" && !HARMLESS_KEYWORDS.has(resolved)) return false;
  }
  return true;
}

const vettedContextTerms = new Map<string, Record<string, unknown>>();

function contextTerms(url: string): Record<string, unknown> | null {
  const key = preloadedContextUrl(url);
  if (key === null) return null;
  const cached = vettedContextTerms.get(key);
  if (cached) return cached;
  const doc = (preloadedContexts as Record<string, unknown>)[key] as { "@context"?: unknown } | undefined;
  const ctx = doc?.["@context"];
  if (!ctx || typeof ctx !== "object" || Array.isArray(ctx)) return null;
  vettedContextTerms.set(key, ctx as Record<string, unknown>);
  return ctx as Record<string, unknown>;
}

const PLAIN_TERM = /^[A-Za-z][A-Za-z0-9_]*$/;

/** true/false when the plain keys decide; "unsure" when only the expansion can. */
export function plainReadingHolds(activity: Record<string, unknown>, actorIri: string): boolean | "unsure" {
  const { id, actor, type } = activity;
  if (typeof actor !== "string" || typeof type !== "string" || (id !== undefined && typeof id !== "string")) return "unsure";
  if (!URL.canParse(actor) || (typeof id === "string" && !URL.canParse(id))) return "unsure";
  for (const key of Object.keys(activity)) if (key !== "@context" && !PLAIN_TERM.test(key)) return "unsure";
  const list = Array.isArray(activity["@context"]) ? activity["@context"] : [activity["@context"]];
  const terms: TermMap = new Map();
  let sawAs = false;
  for (const c of list) {
    if (typeof c === "string") {
      const ctx = contextTerms(c);
      if (!ctx) return "unsure";
      const isAs = ctx === contextTerms(AS_URL);
      if (!addDefinitions(ctx, terms, isAs)) return "unsure";
      sawAs ||= isAs;
    } else if (c && typeof c === "object" && !Array.isArray(c)) {
      if (!sawAs) return "unsure"; // the ActivityStreams context comes first, as every server sends it
      if ("id" in c || "actor" in c || type in c) return "unsure";
      if (!addDefinitions(c as Record<string, unknown>, terms, false)) return "unsure";
    } else return "unsure";
  }
  if (!sawAs) return "unsure";
  if (resolveIri(type, terms) !== AS_NS + type) return "unsure"; // a plain ActivityStreams type, no scoped context
  // The guard took `actorIri` from this very `actor` key: once the contexts are plain, both readings agree.
  return new URL(actor).href === new URL(actorIri).href;
}
