// Refused (and accepted-but-ignored) inbox deliveries and signed fetches are logged with their reason, so an operator can see why a peer's
// activities do not arrive — rate-limited, so a flood of bad requests cannot flood the log: at most `perMinute`
// records a minute, then one record saying how many were left out.
import { getLogger } from "@logtape/logtape";
import { type Clock, systemClock } from "../../server/clock.ts";
import { parseSignatureClaim } from "./signature-header.ts";

const logger = getLogger(["ruche", "federation", "guard"]);

export class RefusalLog {
  #clock: Clock;
  #perMinute: number;
  #windowStart = 0;
  #logged = 0;
  #skipped = 0;

  constructor(opts: { perMinute?: number; clock?: Clock } = {}) {
    this.#perMinute = opts.perMinute ?? 30;
    this.#clock = opts.clock ?? systemClock;
  }

  refused(r: { method: string; path: string; status: number; error: string; signer?: string | null }): void {
    const now = this.#clock.now();
    if (now - this.#windowStart >= 60_000) {
      if (this.#skipped > 0) logger.warn("{count} more refused requests were not logged in the last minute", { count: this.#skipped });
      this.#windowStart = now;
      this.#logged = 0;
      this.#skipped = 0;
    }
    if (this.#logged >= this.#perMinute) {
      this.#skipped++;
      return;
    }
    this.#logged++;
    const props = { ...r, signer: r.signer ?? null };
    if (r.status < 400) logger.info("Ignored {method} {path} ({status}): {error}", props);
    else logger.info("Refused {method} {path} ({status}): {error}", props);
  }
}

/** The origin of the keyId the request claims (for the log; not trusted for anything else). */
export function claimedSigner(headers: Headers): string | null {
  const claim = parseSignatureClaim(headers);
  if (claim === null || claim === "malformed") return null;
  try {
    return new URL(claim.keyId).origin;
  } catch {
    return null;
  }
}
