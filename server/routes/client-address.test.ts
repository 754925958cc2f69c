// The address sign-in limits count (issue #8 point 5): one key per IPv4 address or IPv6 /64.
import { describe, expect, it } from "vitest";
import { normaliseAddress } from "./client-address.ts";

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
