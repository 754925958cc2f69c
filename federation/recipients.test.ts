import { describe, expect, it } from "vitest";
import { recipientOf, safeRecipients } from "./recipients.ts";
import { recordLogs } from "../test/log-records.ts";

// Fake DNS: no network here, and the check only resolves (never connects). Nothing is sent anywhere.
const lookup = async (host: string): Promise<string[]> => {
  if (host === "good.example") return ["93.184.216.34"];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

const records = recordLogs(["ruche", "federation", "recipients"], "debug");
describe("safeRecipients", () => {
  const good = recipientOf({ iri: "https://good.example/users/a", inboxUrl: "https://good.example/inbox", sharedInboxUrl: null });
  const unresolvable = recipientOf({
    iri: "https://nonexistent.invalid/users/b", inboxUrl: "https://nonexistent.invalid/inbox", sharedInboxUrl: null,
  });
  const privateAddr = recipientOf({ iri: "https://10.0.0.1/users/c", inboxUrl: "https://10.0.0.1/inbox", sharedInboxUrl: null });

  it("drops only the unsafe recipients and keeps the others", async () => {
    records.length = 0;
    const { kept, dropped } = await safeRecipients([unresolvable, good, privateAddr], { allowPrivateAddress: false, lookup });
    expect(kept).toEqual([good]);
    expect(dropped.map((d) => d.inbox)).toEqual(["https://nonexistent.invalid/inbox", "https://10.0.0.1/inbox"]);
    const warnings = records.filter((r) => r.level === "warning");
    expect(warnings.map((r) => r.properties.inbox)).toEqual(["https://nonexistent.invalid/inbox", "https://10.0.0.1/inbox"]);
    expect(warnings.map((r) => r.properties.recipient)).toEqual(["https://nonexistent.invalid/users/b", "https://10.0.0.1/users/c"]);
  });

  it("checks the shared inbox when there is one", async () => {
    const viaShared = recipientOf({
      iri: "https://good.example/users/d", inboxUrl: "https://good.example/users/d/inbox", sharedInboxUrl: "https://10.0.0.1/inbox",
    });
    const { kept, dropped } = await safeRecipients([viaShared], { allowPrivateAddress: false, lookup });
    expect(kept).toEqual([]);
    expect(dropped.map((d) => d.inbox)).toEqual(["https://10.0.0.1/inbox"]);
  });

  it("keeps everything, unchecked, when private addresses are allowed", async () => {
    const noLookup = async (host: string): Promise<string[]> => {
      throw new Error(`lookup must not be called for ${host}`);
    };
    const all = [unresolvable, good, privateAddr];
    const { kept, dropped } = await safeRecipients(all, { allowPrivateAddress: true, lookup: noLookup });
    expect(kept).toEqual(all);
    expect(dropped).toEqual([]);
  });
});
