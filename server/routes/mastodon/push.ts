// /api/v1/push/subscription as Mastodon's Api::V1::Push::SubscriptionsController: one Web Push subscription per
// access token, `push` scope, a person's token only. The endpoint is a URL we will POST to from the worker, so
// it passes the outbound URL guard here (private addresses refused unless RUCHE_ALLOW_PRIVATE_ADDRESS) and again
// at every send. Keys are checked by the domain (a P-256 point and a 16-byte secret); nothing is stored on error.
import type { Context, Hono } from "hono";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import {
  createPushSubscription, deletePushSubscription, findPushSubscription, PUSH_ALERTS, PUSH_POLICIES, type PushData,
  type PushSubscription, updatePushAlerts,
} from "../../domain/push/subscriptions.ts";
import { vapidPublicKey } from "../../domain/push/vapid.ts";
import { assertSafeUrl, UrlGuardError } from "../../../federation/url-guard.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiContext, type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams, boolParam, parse } from "./params.ts";

/** RFC 8030 push services speak HTTPS; the length bound keeps an endpoint a URL, not a payload. */
const endpointSchema = z.string().max(2048, "is too long").url("is not a URL")
  .refine((u) => u.startsWith("https://"), "must be an https URL");

/** `data[alerts][admin.sign_up]` as forms send it; JSON clients built on masto.js send `admin: { sign_up }`. */
const alertsSchema = z.preprocess(
  (v) => {
    if (v === null || typeof v !== "object" || !("admin" in v) || typeof v.admin !== "object" || v.admin === null) return v;
    const { admin, ...rest } = v as { admin: Record<string, unknown> };
    return { ...rest, ...Object.fromEntries(Object.entries(admin).map(([k, on]) => [`admin.${k}`, on])) };
  },
  z.object(Object.fromEntries(PUSH_ALERTS.map((a) => [a, boolParam])) as Record<(typeof PUSH_ALERTS)[number], typeof boolParam>).optional(),
);

const dataSchema = z.object({ alerts: alertsSchema, policy: z.enum(PUSH_POLICIES).optional() }).optional();

/** Mastodon reads `data[policy]`; masto.js sends `policy` beside `data`, which is taken when `data` has none. */
const bodySchema = z.object({ data: dataSchema, policy: z.enum(PUSH_POLICIES).optional() });

const createSchema = bodySchema.extend({
  subscription: z.object({
    endpoint: endpointSchema,
    keys: z.object({ p256dh: z.string(), auth: z.string() }),
  }),
});

/** Mastodon keeps the alerts given and reads a missing one as off, a missing policy as `all`. */
function pushData(p: z.infer<typeof bodySchema>): PushData {
  const alerts = Object.entries(p.data?.alerts ?? {}).filter(([, on]) => on === true).map(([a]) => a) as PushData["alerts"];
  return { alerts, policy: p.data?.policy ?? p.policy ?? "all" };
}

/** Mastodon's WebPushSubscription entity. */
function serialize(s: PushSubscription, serverKey: string) {
  return { id: s.id, endpoint: s.endpoint, standard: true, alerts: s.alerts, policy: s.policy, server_key: serverKey };
}

function tokenOf(c: ApiContext): { tokenId: string; token: string } {
  const credentials = c.get("credentials");
  if (!credentials) throw new Error("tokenOf() used on a route without tokenRequired");
  return credentials;
}

export function registerPush(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const guard = [tokenRequired(deps), scopeRequired(["push"])] as const;
  const respond = async (c: Context, s: PushSubscription) => c.json(serialize(s, await vapidPublicKey(sql)));

  api.post("/api/v1/push/subscription", ...guard, async (c) => {
    const p = parse(createSchema, await bodyParams(c));
    try {
      await assertSafeUrl(p.subscription.endpoint, { allowPrivateAddress: config.allowPrivateAddress });
    } catch (e) {
      // A push endpoint on 127.0.0.1, the LAN or cloud metadata would make the worker an SSRF relay.
      if (e instanceof UrlGuardError) throw new DomainError("invalid_endpoint", 422, "endpoint: is not a public address", "endpoint");
      throw e;
    }
    const { tokenId, token } = tokenOf(c);
    const s = await createPushSubscription(sql, {
      accountId: viewerOf(c).accountId, tokenId, accessToken: token, endpoint: p.subscription.endpoint,
      p256dh: p.subscription.keys.p256dh, auth: p.subscription.keys.auth, ...pushData(p),
    });
    return await respond(c, s);
  });

  api.get("/api/v1/push/subscription", ...guard, async (c) => {
    const s = await findPushSubscription(sql, tokenOf(c).tokenId);
    if (!s) throw notFound();
    return await respond(c, s);
  });

  api.put("/api/v1/push/subscription", ...guard, async (c) => {
    const s = await updatePushAlerts(sql, tokenOf(c).tokenId, pushData(parse(bodySchema, await bodyParams(c))));
    if (!s) throw notFound();
    return await respond(c, s);
  });

  api.delete("/api/v1/push/subscription", ...guard, async (c) => {
    await deletePushSubscription(sql, tokenOf(c).tokenId);
    return c.json({});
  });
}
