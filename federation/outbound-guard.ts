// Every outgoing request of the process passes the SSRF check, hop by hop. Our own fetches already do
// (safe-fetch.ts), but Fedify 2.3.6's delivery follows a recipient's 3xx `Location` with no check of its own (the
// second half of GHSA-f59r-8gcj-68f2): a peer could bounce our signed POSTs to an internal address. Each redirect
// hop is a new `fetch` call, so guarding `fetch` itself closes it. Installed by server/main.ts unless
// RUCHE_ALLOW_PRIVATE_ADDRESS is set (one instance per process in production).
import { assertSafeUrl, type HostLookup } from "./url-guard.ts";

export interface OutboundGuardOptions {
  lookup?: HostLookup;
  /** Exceptions (tests: the loopback servers a test plays peers with). */
  allow?: (url: URL) => boolean;
  /** Told of each refused request (tests wait for it; production logs it through the caller's error). */
  onRefused?: (url: URL, error: unknown) => void;
}

export function installOutboundGuard(opts: OutboundGuardOptions = {}): () => void {
  const original = globalThis.fetch;
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!opts.allow?.(url)) {
      try {
        await assertSafeUrl(url, { allowPrivateAddress: false, lookup: opts.lookup });
      } catch (e) {
        opts.onRefused?.(url, e);
        throw e;
      }
    }
    return await original(input, init);
  };
  globalThis.fetch = guarded as typeof fetch;
  return () => {
    if (globalThis.fetch === guarded) globalThis.fetch = original;
  };
}
