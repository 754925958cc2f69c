// The JSON a Web Push carries, as Mastodon's Web::NotificationSerializer writes it: `access_token` (apps tell by it
// which of their accounts the push is for), `preferred_locale`, `notification_id`, `notification_type` (our `reply`
// is Mastodon's `mention`), `icon` (the sender's picture), `title` (the sentence the notifications page shows, in
// the recipient's language) and `body` (the post's content warning or text, at most 140 characters).
import type { Db } from "../db/pool.ts";
import { localViewer } from "../domain/audience/visibility.ts";
import { getNotification, type NotificationRow } from "../domain/notifications/notifications.ts";
import { loadPosts } from "../domain/posts/post-views.ts";
import { alertOf, type PushTarget } from "../domain/push/subscriptions.ts";
import { absoluteUrl, DEFAULT_AVATAR } from "../routes/mastodon/serializers.ts";
import { defaultLocale, t } from "../../web/i18n/index.ts";

export interface PushPayload {
  access_token: string;
  preferred_locale: string;
  notification_id: number;
  notification_type: string;
  icon: string;
  title: string;
  body: string;
}

const BODY_LENGTH = 140;

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length <= BODY_LENGTH ? flat : `${chars.slice(0, BODY_LENGTH - 1).join("")}…`;
}

/**
 * The payload of one notification for one subscription, or null when the recipient no longer sees the
 * notification (dismissed, its post deleted or narrowed, its sender blocked since): the notifications list's rules.
 */
export async function pushPayload(db: Db, origin: string, target: PushTarget, notificationId: string, digest?: string[]): Promise<PushPayload | null> {
  if (digest && digest.length > 1) return await digestPayload(db, origin, target, digest);
  const n = await getNotification(db, target.accountId, notificationId);
  if (!n) return null;
  const locale = target.locale ?? defaultLocale;
  const title = sentenceOf(locale, n);
  const [post] = n.postId ? await loadPosts(db, [n.postId], localViewer(target.accountId)) : [];
  // A follow has no post: the sender's handle says who it is without reading their profile's audience rules.
  const handle = `@${n.from.username}${n.from.domain ? `@${n.from.domain}` : ""}`;
  const body = post ? (post.summary.trim() || post.contentText) : handle;
  return {
    access_token: target.accessToken,
    preferred_locale: locale,
    notification_id: Number(n.id),
    notification_type: alertOf(n.type),
    icon: absoluteUrl(origin, n.from.avatarUrl ?? DEFAULT_AVATAR),
    title,
    body: truncate(body),
  };
}

function sentenceOf(locale: "fr" | "en", n: NotificationRow): string {
  const name = n.from.displayName.trim() || n.from.username;
  return n.type === "poll" ? t(locale, "notifications.poll") : t(locale, `notifications.${n.type}`, { name });
}

/**
 * Held notifications released together at the start of the working day (issue #15): one push whose title counts
 * them and whose body lists what each says; it opens the notifications (the newest one's id). Those no longer
 * shown (dismissed, blocked since) are left out; none left, nothing is sent.
 */
async function digestPayload(db: Db, origin: string, target: PushTarget, ids: string[]): Promise<PushPayload | null> {
  const shown = (await Promise.all(ids.map((id) => getNotification(db, target.accountId, id)))).filter((n): n is NotificationRow => n !== null);
  if (shown.length === 0) return null;
  const locale = target.locale ?? defaultLocale;
  const newest = shown[shown.length - 1];
  return {
    access_token: target.accessToken,
    preferred_locale: locale,
    notification_id: Number(newest.id),
    notification_type: alertOf(newest.type),
    icon: absoluteUrl(origin, newest.from.avatarUrl ?? DEFAULT_AVATAR),
    title: t(locale, "quiet.digest_title", { count: shown.length }),
    body: truncate(shown.map((n) => sentenceOf(locale, n)).join(" · ")),
  };
}
