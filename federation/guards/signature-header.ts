// Parsing of HTTP signature parameters (draft-cavage `Signature` and RFC 9421 `Signature-Input`), only to decide
// cheaply — before any body read or key fetch — who claims to sign and what the signature covers. The guard then
// verifies the signature with exactly that key (inbox-guard.ts), and Fedify verifies it again.
//
// The parsing is deliberately strict: anything Fedify 2.3.6 could read differently from us is refused. A parser
// differential is an authentication bypass — with `keyId="evil",x=1 keyId="sibling"` a lenient regex saw the
// sibling's key while Fedify verified the attacker's; with two RFC 9421 labels we checked the first and Fedify
// accepted whichever verified (security-signatures.test.ts shows both).

export interface SignatureClaim {
  spec: "cavage" | "rfc9421";
  keyId: string;
  algorithm: string | null;
  /** Lower-cased covered headers / components. */
  covered: string[];
  created: number | null;
}

// Fedify's own reading of a draft-cavage pair: name="quoted" or name=digits, nothing else.
const CAVAGE_PAIR = /^\s*([A-Za-z]+)=(?:"([^"]*)"|(\d+))\s*$/;

/** Splits a structured-field list/dictionary on top-level commas (not inside quotes or parentheses). */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0, quoted = false, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter((m) => m !== "");
}

const SF_KEY = "[a-z*][a-z0-9_.*-]*";
const SF_PARAM_VALUE = String.raw`"(?:[^"\\]|\\.)*"|-?\d+|[A-Za-z*][\w:/%.*-]*`;
const RFC9421_MEMBER = new RegExp(`^(${SF_KEY})=\\(([^)]*)\\)((?:;${SF_KEY}=(?:${SF_PARAM_VALUE}))*)$`);
const RFC9421_COMPONENT = new RegExp(`^"([^"]+)"(?:;${SF_KEY}(?:=(?:${SF_PARAM_VALUE}))?)*$`);

function parseRfc9421(input: string, signature: string | null): SignatureClaim | "malformed" {
  const members = splitTopLevel(input);
  // One signature per request: Fedify accepts a request if ANY label verifies, we check one key — they must agree.
  if (members.length !== 1) return "malformed";
  const m = RFC9421_MEMBER.exec(members[0]);
  if (!m) return "malformed";
  const [, label, list, paramText] = m;
  const sigMembers = signature ? splitTopLevel(signature) : [];
  if (sigMembers.length !== 1 || !sigMembers[0].startsWith(`${label}=:`)) return "malformed";
  const covered: string[] = [];
  for (const item of list.trim().split(/\s+/).filter(Boolean)) {
    const c = RFC9421_COMPONENT.exec(item);
    if (!c) return "malformed";
    covered.push(c[1].toLowerCase());
  }
  const params: Record<string, string> = {};
  for (const p of paramText.matchAll(new RegExp(`;(${SF_KEY})=(${SF_PARAM_VALUE})`, "g"))) {
    if (Object.hasOwn(params, p[1])) return "malformed";
    params[p[1]] = p[2].startsWith('"') ? p[2].slice(1, -1).replace(/\\(.)/g, "$1") : p[2];
  }
  if (!params.keyid) return "malformed";
  const created = params.created != null && /^\d+$/.test(params.created) ? Number(params.created) : null;
  return { spec: "rfc9421", keyId: params.keyid, algorithm: params.alg ?? null, covered, created };
}

function parseCavage(sig: string): SignatureClaim | "malformed" {
  const params: Record<string, string> = {};
  // Split exactly as Fedify does, and refuse every pair it would skip or read differently, and duplicates.
  for (const pair of sig.split(",")) {
    const m = CAVAGE_PAIR.exec(pair);
    if (!m || Object.hasOwn(params, m[1])) return "malformed";
    params[m[1]] = m[2] ?? m[3];
  }
  if (!params.keyId || !params.signature || !params.headers) return "malformed";
  return {
    spec: "cavage",
    keyId: params.keyId,
    algorithm: params.algorithm?.toLowerCase() ?? null,
    covered: params.headers.toLowerCase().split(/\s+/).filter(Boolean),
    created: params.created ? Number(params.created) : null,
  };
}

export function parseSignatureClaim(headers: Headers): SignatureClaim | null | "malformed" {
  // Same choice of spec as Fedify: Signature-Input present means RFC 9421.
  const input = headers.get("signature-input");
  if (input) return parseRfc9421(input, headers.get("signature"));
  const sig = headers.get("signature");
  if (!sig) return null;
  return parseCavage(sig);
}

/** Which parts a POST signature must cover so that body, target and host cannot be swapped (cases 11, 12). */
export function missingCoverage(claim: SignatureClaim): string[] {
  if (claim.spec === "cavage") {
    return ["(request-target)", "host", "date", "digest"].filter((h) => !claim.covered.includes(h));
  }
  const missing: string[] = [];
  if (!claim.covered.includes("@method")) missing.push("@method");
  if (!claim.covered.includes("@target-uri") && !(claim.covered.includes("@authority") && claim.covered.includes("@path"))) {
    missing.push("@target-uri");
  }
  if (!claim.covered.includes("content-digest")) missing.push("content-digest");
  // RFC 9421 dates a signature by its `created` parameter; an uncovered Date header could be refreshed on replay.
  if (claim.created == null) missing.push("created");
  return missing;
}

/** Symmetric algorithms make no sense between servers and invite confusion attacks (case 14). */
export function isAcceptableAlgorithm(alg: string | null): boolean {
  if (alg == null) return true;
  return ["rsa-sha256", "hs2019", "rsa-v1_5-sha256", "ed25519", "rsa-pss-sha512"].includes(alg.toLowerCase());
}
