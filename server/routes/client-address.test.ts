// The address sign-in limits count (issue #8 point 5): one key per IPv4 address or IPv6 /64.
import { describe, expect, it } from "vitest";
import { Hono } from "hono";
import { clientAddress, normaliseAddress } from "./client-address.ts";

describe("normaliseAddress", () => {
  it("keeps IPv4, unwraps IPv4-mapped IPv6 and counts IPv6 by /64", () => {
    expect(normaliseAddress("127.0.0.1")).toBe("127.0.0.1");
    expect(normaliseAddress("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(normaliseAddress("2001:db8:0:1:aaaa::1")).toBe("2001:db8:0:1::/64");
    expect(normaliseAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(normaliseAddress("[2001:DB8:0:1::2]")).toBe("2001:db8:0:1::/64");
    expect(normaliseAddress("::1")).toBe("0:0:0:0::/64");
    expect(normaliseAddress("not an address")).toBe("unknown");
  });
});

describe("clientAddress", () => {
  const app = (trustProxy: boolean) => {
    const a = new Hono();
    a.get("/", (c) => c.text(clientAddress(c, { trustProxy })));
    return a;
  };
  const forwarded = { "x-forwarded-for": "198.51.100.1, 203.0.113.9" };

  it("ignores X-Forwarded-For unless told a proxy is in front, then takes the entry the proxy added", async () => {
    // Not served over a socket here (app.request): without a proxy the address is unknown, never the header's.
    expect(await (await app(false).request("/", { headers: forwarded })).text()).toBe("unknown");
    expect(await (await app(true).request("/", { headers: forwarded })).text()).toBe("203.0.113.9");
  });
});
