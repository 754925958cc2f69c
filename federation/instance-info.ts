// The name a sibling publishes for itself (issue #8 point 10): its NodeInfo's metadata.nodeName, else its software's
// name, stored by host (server/domain/instance/instance-names.ts) and shown wherever the sibling or its people
// appear, the host being the fallback. A job (instance-info queue) fetches it when a sibling is added and with each
// full directory pull; no transaction is open during the fetch. NodeInfo links must stay on the sibling's origin
// (Fedify CVE-2026-62857: a link to a private address or `data:`), and every fetch goes through safeFetch.
import { getLogger } from "@logtape/logtape";
import { z } from "zod";
import { htmlToText } from "../server/domain/posts/html.ts";
import { MAX_INSTANCE_NAME, storeInstanceName } from "../server/domain/instance/instance-names.ts";
import type { Ctx } from "./context.ts";
import { safeFetch } from "./safe-fetch.ts";

const logger = getLogger(["ruche", "federation", "instance-info"]);

const links = z.object({ links: z.array(z.object({ rel: z.string(), href: z.string() })).max(20) });
const nodeInfo = z.object({
  software: z.object({ name: z.string().max(200) }).partial().optional(),
  metadata: z.object({ nodeName: z.unknown() }).partial().optional(),
});

async function getJson(ctx: Ctx, url: string): Promise<unknown> {
  const res = await safeFetch(url, { headers: { Accept: "application/json" }, allowPrivateAddress: ctx.data.config.allowPrivateAddress, maxBytes: 64 * 1024 });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  if (new URL(res.url).origin !== new URL(url).origin) throw new Error(`${url} redirected to another origin: ${res.url}`);
  return JSON.parse(new TextDecoder().decode(res.body));
}

/** The instance's own name from its NodeInfo, or null when it publishes none. Throws on fetch errors (retried). */
export async function readInstanceName(ctx: Ctx, origin: string): Promise<string | null> {
  const index = links.parse(await getJson(ctx, `${origin}/.well-known/nodeinfo`));
  const link = index.links.find((l) => /^http:\/\/nodeinfo\.diaspora\.software\/ns\/schema\/2\.[01]$/.test(l.rel));
  if (!link || !URL.canParse(link.href) || new URL(link.href).origin !== origin) {
    throw new Error(`${origin} publishes no NodeInfo 2.x link on its own origin`);
  }
  const info = nodeInfo.parse(await getJson(ctx, link.href));
  const nodeName = typeof info.metadata?.nodeName === "string" ? info.metadata.nodeName : "";
  const name = htmlToText(nodeName || info.software?.name || "").trim().slice(0, MAX_INSTANCE_NAME);
  return name || null;
}

/** The instance-info job: fetch, then store (one statement; no transaction spans the fetch). */
export async function fetchInstanceName(ctx: Ctx, origin: string): Promise<void> {
  const name = await readInstanceName(ctx, origin);
  if (!name) {
    logger.info("{origin} publishes no name in its NodeInfo; its host is shown", { origin });
    return;
  }
  await storeInstanceName(ctx.data.sql, origin, name);
}
