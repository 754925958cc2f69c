// Paths and IRIs we mint. (Actor, object and collection IRIs still come from Fedify's dispatchers and the domain's
// iri columns; new kinds of IRIs belong here.)
import { createHash } from "node:crypto";

/**
 * The id of an activity about another one (Undo of a like, Accept of a follow): derived from that one, so a job
 * re-run after a crash re-sends the same activity and receivers recognise it.
 */
export function derivedActivityId(origin: string, kind: string, of: string): URL {
  return new URL(`/activities/${kind}/${createHash("sha256").update(of).digest("base64url").slice(0, 22)}`, origin);
}
