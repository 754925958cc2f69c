// Recipients of outgoing activities: building them from account rows, and dropping the ones we must not contact.
// One follower whose inbox host does not resolve, or resolves to a private address, must not stop delivery to
// everybody else (and retry forever): each recipient is checked on its own and only the unsafe ones are dropped.
import type { Recipient } from "@fedify/vocab";
import { getLogger } from "@logtape/logtape";
import { assertSafeUrl, type HostLookup } from "./url-guard.ts";

const logger = getLogger(["ruche", "federation", "recipients"]);

/** An account (or follower row) → Fedify recipient: actor id, personal inbox, shared inbox. */
export function recipientOf(a: { iri: string; inboxUrl: string | null; sharedInboxUrl: string | null }): Recipient {
  return {
    id: new URL(a.iri),
    inboxId: a.inboxUrl ? new URL(a.inboxUrl) : null,
    endpoints: a.sharedInboxUrl ? { sharedInbox: new URL(a.sharedInboxUrl) } : null,
  };
}

export interface DroppedRecipient {
  recipient: Recipient;
  inbox: string;
  error: string;
}

/**
 * Splits `recipients` into those whose delivery inbox (shared inbox when present, as Fedify prefers it) is safe to
 * contact and those that are not (private address, DNS failure, bad URL; GHSA-f59r, corpus case 17). Each dropped
 * recipient is logged as a warning. With `allowPrivateAddress` (test/LAN mode) everything is kept unchecked.
 * Recipients without any inbox are kept: Fedify skips them itself.
 */
export async function safeRecipients(
  recipients: readonly Recipient[],
  opts: { allowPrivateAddress: boolean; lookup?: HostLookup },
): Promise<{ kept: Recipient[]; dropped: DroppedRecipient[] }> {
  if (opts.allowPrivateAddress) return { kept: [...recipients], dropped: [] };
  const checks = await Promise.all(
    recipients.map(async (recipient) => {
      const inbox = recipient.endpoints?.sharedInbox ?? recipient.inboxId;
      if (!inbox) return null;
      try {
        await assertSafeUrl(inbox, { allowPrivateAddress: false, lookup: opts.lookup });
        return null;
      } catch (e) {
        return { recipient, inbox: inbox.href, error: String(e) };
      }
    }),
  );
  const kept: Recipient[] = [];
  const dropped: DroppedRecipient[] = [];
  recipients.forEach((recipient, i) => {
    const bad = checks[i];
    if (bad === null) {
      kept.push(recipient);
    } else {
      dropped.push(bad);
      logger.warn("Dropping recipient {recipient}: inbox {inbox} is not safe to contact: {error}", {
        recipient: recipient.id?.href ?? null,
        inbox: bad.inbox,
        error: bad.error,
      });
    }
  });
  return { kept, dropped };
}
