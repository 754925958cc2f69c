// Outbound URL guard: the one place that decides whether the server may open a connection to a URL a remote
// party gave us (actor/key/object ids, inbox URLs, WebFinger/NodeInfo links, media, every redirect hop).
// Stops SSRF (Fedify CVE-2026-96624, CVE-2026-77632, CVE-2026-50131; Mastodon CVE-2026-22245, CVE-2026-46348):
// a peer pointing us at 127.0.0.1, cloud metadata (169.254.169.254), the LAN, or a tunnelled IPv4 address.
import { isIP, isIPv4, isIPv6 } from "node:net";
import { lookup as dnsLookup } from "node:dns/promises";

export class UrlGuardError extends Error {
  code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UrlGuardError";
    this.code = code;
  }
}

export type HostLookup = (host: string) => Promise<string[]>;

export interface AssertSafeUrlOptions {
  allowPrivateAddress: boolean;
  lookup?: HostLookup;
}

// ---------------------------------------------------------------------------------------------------------------
// Address classification. Our own parser rather than node:net BlockList, because BlockList does not look inside
// IPv4-mapped / NAT64 forms, and a mis-parse here is an SSRF hole: every form must end up as 32 or 128 bits.

/** Dotted-quad IPv4 → 32-bit unsigned int, or null. Only the strict form: URL has already normalised the rest. */
function parseIPv4(ip: string): number | null {
  if (!isIPv4(ip)) return null;
  const p = ip.split(".").map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}

/** IPv6 text (any compression, optional trailing dotted quad) → eight 16-bit groups, or null. */
function parseIPv6(ip: string): number[] | null {
  if (!isIPv6(ip)) return null;
  let text = ip.toLowerCase();
  // Trailing IPv4 (::ffff:1.2.3.4, 64:ff9b::10.0.0.1) → two hex groups, so it cannot dodge the checks below.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = parseIPv4(tail);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0].split(":");
  const rest = halves.length === 2 && halves[1] !== "" ? halves[1].split(":") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest].map((g) =>
    parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function inV4(addr: number, base: string, bits: number): boolean {
  const b = parseIPv4(base)!;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((addr & mask) >>> 0) === ((b & mask) >>> 0);
}

// Every IPv4 range that is not ordinary public unicast (IANA special-purpose registry + multicast/reserved).
const V4_BLOCKED: Array<[string, number]> = [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 reaches localhost on Linux
  ["10.0.0.0", 8], // RFC 1918
  ["100.64.0.0", 10], // CGNAT (Fedify CVE-2026-50131)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local: cloud metadata endpoints
  ["172.16.0.0", 12], // RFC 1918
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.88.99.0", 24], // deprecated 6to4 relay anycast
  ["192.168.0.0", 16], // RFC 1918
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, includes broadcast 255.255.255.255
];

function isPrivateV4(addr: number): boolean {
  return V4_BLOCKED.some(([base, bits]) => inV4(addr, base, bits));
}

function isPrivateV6(g: number[]): boolean {
  const embeddedV4 = ((g[6] << 16) | g[7]) >>> 0;
  // ::ffff:a.b.c.d (mapped) — the kernel connects to the IPv4 address, so judge that address.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return isPrivateV4(embeddedV4);
  }
  // ::ffff:0:a.b.c.d (SIIT "IPv4-translated") — same idea.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0xffff && g[5] === 0) {
    return isPrivateV4(embeddedV4);
  }
  // Only global unicast 2000::/3 is ever public. That one test also blocks: "::" (Mastodon CVE-2026-46348), ::1,
  // deprecated IPv4-compatible ::a.b.c.d (blocked whatever the v4, so ::127.0.0.1 tricks stay closed), NAT64
  // 64:ff9b::/96 and 64:ff9b:1::/48 (a translator reaches arbitrary IPv4 hosts, maybe inside the LAN), discard
  // 100::/64, unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10 and multicast ff00::/8.
  if ((g[0] & 0xe000) !== 0x2000) return true;
  if (g[0] === 0x2001 && g[1] < 0x0200) return true; // 2001::/23 IETF special: Teredo 2001::/32, ORCHID, benchmarking
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  if (g[0] === 0x2002) return true; // 6to4: tunnels to the embedded IPv4 (2002:0a00:0001:: → 10.0.0.1)
  if (g[0] === 0x3fff && g[1] < 0x1000) return true; // documentation 3fff::/20 (RFC 9637)
  if (g[0] === 0x3ffe) return true; // ex-6bone, returned to IANA
  return false;
}

/**
 * True when `ip` must not be contacted from the server: loopback, private, link-local, CGNAT, multicast,
 * reserved, documentation, and tunnelling prefixes. Accepts `[v6]` brackets and `%zone` suffixes. Anything that is
 * not a valid IP address counts as private (fail closed).
 */
export function isPrivateAddress(ip: string): boolean {
  let text = ip.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  const zone = text.indexOf("%"); // fe80::1%eth0: zone ids only occur on link-local, drop and classify the rest
  if (zone >= 0) text = text.slice(0, zone);
  const v4 = parseIPv4(text);
  if (v4 !== null) return isPrivateV4(v4);
  const v6 = parseIPv6(text);
  if (v6 !== null) return isPrivateV6(v6);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// URL checks.

const ALLOWED_SCHEMES = new Set(["http:", "https:"]);

export const defaultLookup: HostLookup = async (host) => {
  const results = await dnsLookup(host, { all: true, verbatim: true });
  return results.map((r) => r.address);
};

/**
 * Sync syntax check for URLs found in incoming objects (`url`, `icon`, `image`, `attachment.url`, `href`): only
 * http(s). Stops `javascript:` XSS in rendered links and `data:`/`file:`/`ftp:` payloads (corpus case 18).
 */
export function isSafeUrlSyntax(url: string): boolean {
  if (typeof url !== "string" || !URL.canParse(url)) return false;
  const parsed = new URL(url); // leading whitespace/control chars are stripped: " javascript:" is still caught
  return ALLOWED_SCHEMES.has(parsed.protocol) && parsed.hostname !== "";
}

/**
 * Throws UrlGuardError unless `url` is an http(s) URL without credentials whose host (every DNS answer, when a
 * name) is a public address. Returns the parsed, normalised URL: use it, not the original string, for the fetch.
 *
 * Numeric host tricks (`http://2130706433/`, `0177.0.0.1`, `0x7f.1`, `[::ffff:7f00:1]`) need no special code: the
 * WHATWG URL parser rewrites them to canonical dotted-quad / compressed IPv6 before we look (tested).
 */
export async function assertSafeUrl(url: string | URL, opts: AssertSafeUrlOptions): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new UrlGuardError("invalid_url", `Invalid URL: ${String(url)}`, { cause });
  }
  // file:, data:, ftp:, gopher:, javascript: … would read local files or speak other protocols.
  if (!ALLOWED_SCHEMES.has(parsed.protocol)) {
    throw new UrlGuardError("bad_scheme", `URL scheme not allowed: ${parsed.protocol}`);
  }
  // user:pass@ leaks credentials into logs and is a classic host-confusion vector (`https://good.example@evil/`).
  if (parsed.username !== "" || parsed.password !== "") {
    throw new UrlGuardError("credentials", "URLs with credentials are not allowed");
  }
  const host = parsed.hostname;
  if (host === "") throw new UrlGuardError("invalid_url", "URL has no host");
  if (opts.allowPrivateAddress) return parsed;

  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  if (isIP(literal) !== 0) {
    if (isPrivateAddress(literal)) {
      throw new UrlGuardError("private_address", `Refusing private address ${literal}`);
    }
    return parsed;
  }
  let addresses: string[];
  try {
    addresses = await (opts.lookup ?? defaultLookup)(host);
  } catch (cause) {
    throw new UrlGuardError("dns_failed", `Cannot resolve ${host}`, { cause });
  }
  if (addresses.length === 0) throw new UrlGuardError("dns_failed", `No address for ${host}`);
  // ANY private answer rejects: the connecting code may pick any of them (round-robin / happy eyeballs), so a
  // record set of [public, 127.0.0.1] is an SSRF.
  for (const address of addresses) {
    if (isPrivateAddress(address)) {
      throw new UrlGuardError("private_address", `${host} resolves to private address ${address}`);
    }
  }
  return parsed;
}
