// Request bodies are bounded before they are read: an anonymous chunked flood to /login is cut at 16 KiB.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestInstance, type TestInstance } from "../../test/instance.ts";
import { bodyLimitFor } from "./body-limits.ts";

describe("request body limits", () => {
  let inst: TestInstance;
  beforeAll(async () => {
    inst = await startTestInstance({ name: "Paris" });
  });
  afterAll(async () => {
    await inst?.close();
  });

  it("refuses a large chunked POST to /login with 413, having read at most the limit", async () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 300 * chunk.length) return controller.close(); // 19 MB if nobody stops us
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${inst.origin}/login`, {
      method: "POST", body, duplex: "half", headers: { "Content-Type": "application/x-www-form-urlencoded" },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe("payload_too_large");
    expect(sent).toBeLessThan(300 * chunk.length);
  });

  it("refuses a declared Content-Length above the limit at once, on the API too", async () => {
    const res = await fetch(`${inst.origin}/api/v1/statuses`, {
      method: "POST", body: "x".repeat(300 * 1024), headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(413);
  });

  it("gives uploads room and leaves inboxes to the inbox guard", () => {
    expect(bodyLimitFor("/login")).toBe(16 * 1024);
    expect(bodyLimitFor("/api/v2/media")).toBeGreaterThan(40 * 1024 * 1024);
    expect(bodyLimitFor("/users/alice/inbox")).toBeNull();
    expect(bodyLimitFor("/api/v1/statuses")).toBe(256 * 1024);
  });
});
