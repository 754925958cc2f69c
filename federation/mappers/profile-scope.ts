// Who is reading a profile document. Only a request signed by a sibling instance, whose key we verified belongs to
// the actor it claims (ctx.data.keyOwners, as builder.ts authorizeSigned does), gets internal fields; unsigned
// requests and signatures from anyone else get the public profile.
import type { RequestContext } from "@fedify/fedify";
import type { AppContext } from "../context.ts";

export async function requestScope(ctx: RequestContext<AppContext>): Promise<"internal" | "public"> {
  // An unsigned request costs nothing more than a header check.
  if (!ctx.request.headers.has("signature") && !ctx.request.headers.has("signature-input")) return "public";
  const key = await ctx.getSignedKey().catch(() => null);
  if (!key?.id || !key.ownerId) return "public";
  if (!ctx.data.siblings.isSibling(key.id.origin) || key.ownerId.origin !== key.id.origin) return "public";
  return (await ctx.data.keyOwners.owns(key.ownerId.href, key.id.href)) ? "internal" : "public";
}

/** For collections only siblings may read. */
export async function isSiblingRequest(ctx: RequestContext<AppContext>): Promise<boolean> {
  return (await requestScope(ctx)) === "internal";
}
