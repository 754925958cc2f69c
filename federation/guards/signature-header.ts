// Parsing of HTTP signature parameters (draft-cavage `Signature` and RFC 9421 `Signature-Input`), only to decide
// cheaply — before any body read or key fetch — who claims to sign and what the signature covers. Fedify then
// verifies the signature itself.

export interface SignatureClaim {
  spec: "cavage" | "rfc9421";
  keyId: string;
  algorithm: string | null;
  /** Lower-cased covered headers / components. */
  covered: string[];
  created: number | null;
}

export function parseSignatureClaim(headers: Headers): SignatureClaim | null | "malformed" {
  const input = headers.get("signature-input");
  if (input) {
    // sig1=("@method" "@target-uri" "content-digest");keyid="…";alg="…";created=123
    const m = /^\s*[\w-]+=\(([^)]*)\)((?:;[\w-]+=(?:"[^"]*"|\d+))*)/.exec(input);
    if (!m) return "malformed";
    const covered = [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1].toLowerCase());
    const params = Object.fromEntries([...m[2].matchAll(/;([\w-]+)=(?:"([^"]*)"|(\d+))/g)].map((x) => [x[1], x[2] ?? x[3]]));
    if (!params.keyid) return "malformed";
    return { spec: "rfc9421", keyId: params.keyid, algorithm: params.alg ?? null, covered, created: params.created ? Number(params.created) : null };
  }
  const sig = headers.get("signature");
  if (!sig) return null;
  const params: Record<string, string> = {};
  for (const m of sig.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) params[m[1]] = m[2];
  if (!params.keyId || !params.signature) return "malformed";
  return {
    spec: "cavage",
    keyId: params.keyId,
    algorithm: params.algorithm?.toLowerCase() ?? null,
    covered: (params.headers ?? "date").toLowerCase().split(/\s+/).filter(Boolean),
    created: params.created ? Number(params.created) : null,
  };
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
  return missing;
}

/** Symmetric algorithms make no sense between servers and invite confusion attacks (case 14). */
export function isAcceptableAlgorithm(alg: string | null): boolean {
  if (alg == null) return true;
  return ["rsa-sha256", "hs2019", "rsa-v1_5-sha256", "ed25519", "rsa-pss-sha512"].includes(alg.toLowerCase());
}
