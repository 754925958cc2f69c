// The composer's word when the people written to are off (issue #15 point 3): "Bob est hors horaires jusqu'à
// 8 h 30 : sera remis à 8 h 30, heure de Bob", with "send at their next working hour" (a scheduled status, at the
// latest of the recipients' next working starts, so everyone is at work) beside "send now".
import type { Account } from "../../domain/accounts/accounts.ts";
import { availabilityOf } from "../../domain/quiet/availability.ts";
import { availabilityText, whenText } from "../../../web/components/availability.ts";
import type { QuietNotice } from "../../../web/components/messages.ts";
import { type Locale, t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";

export async function quietNotice(deps: RouteDeps, locale: Locale, readerZone: string, recipients: Account[]): Promise<{ notice: QuietNotice; until: Date } | null> {
  const now = deps.clock.now();
  let latest: { account: Account; until: Date; text: string; zone: string } | null = null;
  for (const account of recipients) {
    const a = await availabilityOf(deps.sql, account.id, now);
    const text = availabilityText(locale, a, new Date(now), readerZone);
    if (!a || !a.until || !text) continue;
    if (!latest || a.until > latest.until) latest = { account, until: a.until, text, zone: a.timeZone };
  }
  if (!latest) return null;
  const name = latest.account.displayName.trim() || latest.account.username;
  const when = t(locale, "quiet.theirTime", { time: whenText(locale, latest.until, new Date(now), latest.zone), name });
  return { notice: { text: t(locale, "quiet.willDeliver", { name, availability: latest.text, when }) }, until: latest.until };
}
