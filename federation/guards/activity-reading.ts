// How an activity reads as JSON-LD, checked before Fedify expands it: which contexts it needs (never fetched) and
// whether its actor and id mean, once expanded, what the guard's plain-JSON checks saw.
import { Activity } from "@fedify/vocab";
import { createContextLoader } from "../document-loader.ts";

// Case 20: JSON-LD contexts come only from Fedify's preloaded set (our context loader never fetches). Every string
// given as a context — at the top, in embedded objects, scoped in term definitions, or pulled in by `@import` —
// must be one of them; an activity naming 50 remote contexts is refused here, with a clear 400, without a fetch.
const contextLoader = createContextLoader();

export async function unknownContexts(value: unknown): Promise<string[]> {
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
  const unknown: string[] = [];
  for (const ref of refs) {
    try {
      await contextLoader(ref);
    } catch {
      unknown.push(ref);
    }
  }
  return unknown;
}

/**
 * JSON-LD differential: the inbox guard's origin and key checks read the plain JSON keys `actor` and `id`, Fedify
 * reads the expanded JSON-LD. An inline context can alias them (`{"actor": "https://x/decoy", "sneaky": {"@id": "as:actor"}}`), so
 * the guard would authenticate one actor while Fedify — which accepts a key whose document merely claims the
 * victim as owner (GHSA-q9f8) — acts for another. Both readings must agree.
 */
export async function jsonLdReadingAgrees(activity: Record<string, unknown>, actorIri: string): Promise<boolean> {
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
