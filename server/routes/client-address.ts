// The address a request comes from, as the sign-in limits count it (issue #8 point 5). Without RUCHE_TRUST_PROXY the
// peer of the TCP connection — X-Forwarded-For would let anyone pick a fresh address per attempt. Behind a reverse
// proxy (RUCHE_TRUST_PROXY=true) the last X-Forwarded-For entry: the one that proxy added, not what the client wrote.
// IPv6 addresses count by their /64 network, which one household or one server usually holds whole.
import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import { isIP } from "node:net";
import type { Config } from "../config.ts";

export function clientAddress(c: Context, config: Pick<Config, "trustProxy">): string {
  let address: string | undefined;
  if (config.trustProxy) address = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
  if (!address) {
    try {
      address = getConnInfo(c).remote.address;
    } catch {
      address = undefined; // not served by @hono/node-server (app.request() in unit tests)
    }
  }
  return normaliseAddress(address ?? "unknown");
}

export function normaliseAddress(raw: string): string {
  const a = raw.replace(/^\[|\]$/g, "").replace(/%.*$/, "").toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1];
  if (isIP(a) !== 6) return isIP(a) === 4 ? a : "unknown";
  const [head, tail = ""] = a.split("::");
  const h = head ? head.split(":") : [];
  const t = a.includes("::") && tail ? tail.split(":") : [];
  const groups = a.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
