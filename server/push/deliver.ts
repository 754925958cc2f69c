// The `push` queue's handler: one notification to one subscription. The payload is built from the database at
// send time (a notification dismissed meanwhile is not pushed), encrypted to the subscriber's keys per RFC 8291
// (aes128gcm) and signed with the instance's VAPID key (RFC 8292) by the `web-push` library, then POSTed through
// safeFetch: the outbound URL guard on the endpoint (again: its DNS may have changed since it was checked at
// subscription), one deadline, a bounded answer. What the push service answers decides, as in Mastodon's
// Web::PushNotificationWorker: 2xx done; 408, 429 and 5xx retried by the job system with back-off; any other 4xx
// (404, 410: the subscription expired or was withdrawn) deletes the subscription.
import { getLogger } from "@logtape/logtape";
import type { Sql } from "../db/pool.ts";
import { deletePushSubscriptionById, type PushJob, pushTarget } from "../domain/push/subscriptions.ts";
import { vapidKeys } from "../domain/push/vapid.ts";
import type { JobHandler } from "../jobs/runner.ts";
import { safeFetch } from "../../federation/safe-fetch.ts";
import { UrlGuardError } from "../../federation/url-guard.ts";
import { pushPayload } from "./payload.ts";

const logger = getLogger(["ruche", "push"]);

/** Mastodon's TTL: a push the device has not collected in two days is dropped by the push service. */
const TTL_SECONDS = 48 * 3600;
/** Refusals that no retry will change: the endpoint itself is not one we may contact. */
const FORBIDDEN = new Set(["private_address", "bad_scheme", "credentials", "invalid_url"]);

export interface PushDeps {
  sql: Sql;
  origin: string;
  allowPrivateAddress: boolean;
}

/** What this process's push handler did (a test's positive signal, beside the log records). */
export interface PushCounts { sent: number; skipped: number; gone: number; refused: number; failed: number }

export function pushHandler(deps: PushDeps, counts: PushCounts = { sent: 0, skipped: 0, gone: 0, refused: 0, failed: 0 }): JobHandler {
  return async (job: PushJob) => await deliverPush(deps, job, counts);
}

async function deliverPush(deps: PushDeps, job: PushJob, counts: PushCounts): Promise<void> {
  const target = await pushTarget(deps.sql, job.subscriptionId);
  const payload = target && await pushPayload(deps.sql, deps.origin, target, job.notificationId, job.digest);
  if (!target || !payload) {
    counts.skipped++;
    logger.debug("Push {notification} to subscription {subscription} skipped: {why}", {
      notification: job.notificationId, subscription: job.subscriptionId, why: target ? "notification no longer shown" : "subscription gone",
    });
    return;
  }
  const vapid = await vapidKeys(deps.sql);
  // Loaded on the first push, not at start: the CLI and processes that send none do not pay for it.
  const webpush = (await import("web-push")).default;
  const request = webpush.generateRequestDetails(
    { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
    JSON.stringify(payload),
    {
      vapidDetails: { subject: deps.origin, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
      TTL: TTL_SECONDS, contentEncoding: "aes128gcm", urgency: "normal",
    },
  );
  // fetch sets Content-Length itself from the body.
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([k]) => k.toLowerCase() !== "content-length").map(([k, v]) => [k, String(v)]));
  let status: number;
  try {
    ({ status } = await safeFetch(request.endpoint, {
      method: "POST", headers, body: new Uint8Array(request.body as Buffer), allowPrivateAddress: deps.allowPrivateAddress,
      timeoutMs: 15_000, maxBytes: 64 * 1024, maxRedirects: 0,
    }));
  } catch (error) {
    if (error instanceof UrlGuardError && FORBIDDEN.has(error.code)) {
      counts.refused++;
      logger.warn("Push subscription {subscription} deleted: its endpoint is not allowed ({error})", { subscription: target.id, error: error.message });
      await deletePushSubscriptionById(deps.sql, target.id);
      return;
    }
    counts.failed++;
    throw error; // DNS, connection, deadline: the job system retries
  }
  if (status >= 200 && status < 300) {
    counts.sent++;
    logger.debug("Push {notification} sent to subscription {subscription}", { notification: job.notificationId, subscription: target.id });
    return;
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    counts.gone++;
    logger.info("Push subscription {subscription} deleted: its push service answered {status}", { subscription: target.id, status });
    await deletePushSubscriptionById(deps.sql, target.id);
    return;
  }
  counts.failed++;
  throw new Error(`push service answered ${status}`);
}
