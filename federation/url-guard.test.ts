import { describe, it, expect } from "vitest";
import { assertSafeUrl, isPrivateAddress, isSafeUrlSyntax, UrlGuardError } from "./url-guard.ts";

const noLookup = async (host: string): Promise<string[]> => {
  throw new Error(`lookup must not be called for ${host}`);
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UrlGuardError);
    return (e as UrlGuardError).code;
  }
  return "accepted";
}

describe("isPrivateAddress", () => {
  const privateAddresses = [
    // IPv4
    "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "172.16.0.1",
    "172.31.255.255", "192.168.0.1", "192.168.255.255", "169.254.169.254", "169.254.0.1", "100.64.0.1",
    "100.127.255.255", "198.18.0.1", "198.19.255.255", "192.0.2.1", "198.51.100.7", "203.0.113.9", "192.0.0.8",
    "192.88.99.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    // IPv6
    "::", "::1", "0:0:0:0:0:0:0:1", "[::1]", "fe80::1", "fe80::1%eth0", "febf::1", "fc00::1", "fd12:3456::1",
    "ff02::1", "ff0e::1", "fec0::1", "100::1", "100::ffff:1",
    // IPv4 inside IPv6
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::FFFF:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0:127.0.0.1",
    "::127.0.0.1", "::8.8.8.8", "64:ff9b::a00:1", "64:ff9b::10.0.0.1", "64:ff9b::8.8.8.8", "64:ff9b:1::1",
    "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:10::1", "2002:a00:1::", "2002:0a00:0001::",
    "2002:808:808::1", "2001:db8::1", "2001:DB8:ffff::1", "3fff::1",
    // not an address at all: fail closed
    "", "localhost", "example.com", "1.2.3", "::g", "127.0.0.1.5",
  ];
  const publicAddresses = [
    "8.8.8.8", "1.1.1.1", "93.184.216.34", "9.255.255.255", "11.0.0.1", "172.15.255.255", "172.32.0.1",
    "192.167.255.255", "192.169.0.1", "100.63.255.255", "100.128.0.1", "198.17.255.255", "198.20.0.1",
    "169.253.255.255", "223.255.255.255", "192.0.3.1", "2606:4700:4700::1111", "2001:4860:4860::8888",
    "2a00:1450:4001:81c::200e", "2001:200::1", "::ffff:8.8.8.8", "::ffff:0808:0808", "[2606:4700::1]",
  ];
  it.each(privateAddresses)("%s is private", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });
  it.each(publicAddresses)("%s is public", (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe("assertSafeUrl", () => {
  it("relies on WHATWG URL normalising numeric IPv4 forms", () => {
    for (const u of ["http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/", "http://127.1/"]) {
      expect(new URL(u).hostname).toBe("127.0.0.1");
    }
    expect(new URL("http://[::ffff:127.0.0.1]/").hostname).toBe("[::ffff:7f00:1]");
  });

  // Corpus case 17, literal forms: refused without any DNS lookup.
  const case17 = [
    "http://127.0.0.1/", "https://127.0.0.1:8443/inbox", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/", "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.1.1/", "http://192.168.1.1/",
    "http://100.64.0.1/", "http://198.18.0.1/", "http://[64:ff9b::a00:1]/", "http://[2001::1]/",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "http://[2002:0a00:0001::]/", "http://0.0.0.0/",
    "http://[::]/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/",
    "http://127.1/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[fe80::1]/",
    "http://[fd00::1]/", "http://0/", "http://017700000001/",
  ];
  it.each(case17)("refuses %s", async (u) => {
    expect(await codeOf(assertSafeUrl(u, { allowPrivateAddress: false, lookup: noLookup }))).toBe("private_address");
  });

  it.each(["data:text/plain,hi", "file:///etc/passwd", "ftp://example.com/", "javascript:alert(1)", "gopher://x/",
    "ws://example.com/", "blob:https://example.com/x", "JAVASCRIPT:alert(1)"])("refuses scheme of %s", async (u) => {
    expect(await codeOf(assertSafeUrl(u, { allowPrivateAddress: false, lookup: noLookup }))).toBe("bad_scheme");
    expect(await codeOf(assertSafeUrl(u, { allowPrivateAddress: true, lookup: noLookup }))).toBe("bad_scheme");
  });

  it("refuses credentials even when private addresses are allowed", async () => {
    expect(await codeOf(assertSafeUrl("https://user:pw@example.com/", { allowPrivateAddress: false, lookup: noLookup })))
      .toBe("credentials");
    expect(await codeOf(assertSafeUrl("http://good.example@127.0.0.1/", { allowPrivateAddress: true }))).toBe(
      "credentials",
    );
  });

  it("refuses garbage", async () => {
    expect(await codeOf(assertSafeUrl("not a url", { allowPrivateAddress: true }))).toBe("invalid_url");
  });

  it("refuses a hostname when ANY resolved address is private (rebinding-style answers)", async () => {
    const lookup = async () => ["93.184.216.34", "10.0.0.5"];
    expect(await codeOf(assertSafeUrl("https://evil.example/", { allowPrivateAddress: false, lookup }))).toBe(
      "private_address",
    );
    for (const addr of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "169.254.169.254", "64:ff9b::a00:1", "::"]) {
      const one = async () => [addr];
      expect(await codeOf(assertSafeUrl("https://evil.example/", { allowPrivateAddress: false, lookup: one })))
        .toBe("private_address");
    }
  });

  it("accepts a hostname resolving only to public addresses and returns the normalised URL", async () => {
    const seen: string[] = [];
    const lookup = async (h: string) => {
      seen.push(h);
      return ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"];
    };
    const u = await assertSafeUrl("HTTPS://Example.COM/a?b#c", { allowPrivateAddress: false, lookup });
    expect(u.href).toBe("https://example.com/a?b#c");
    expect(seen).toEqual(["example.com"]);
  });

  it("looks IDN hosts up in punycode and still refuses private answers", async () => {
    const seen: string[] = [];
    const lookup = async (h: string) => {
      seen.push(h);
      return ["192.168.0.10"];
    };
    expect(await codeOf(assertSafeUrl("https://bücher.example/", { allowPrivateAddress: false, lookup }))).toBe(
      "private_address",
    );
    expect(seen).toEqual(["xn--bcher-kva.example"]);
  });

  it("resolves with the system resolver by default (localhost → loopback is refused)", async () => {
    expect(await codeOf(assertSafeUrl("http://localhost:1/", { allowPrivateAddress: false }))).toBe("private_address");
  });

  it("reports DNS failures and empty answers", async () => {
    const failing = async () => {
      throw new Error("ENOTFOUND");
    };
    expect(await codeOf(assertSafeUrl("https://nx.example/", { allowPrivateAddress: false, lookup: failing }))).toBe(
      "dns_failed",
    );
    expect(await codeOf(assertSafeUrl("https://nx.example/", { allowPrivateAddress: false, lookup: async () => [] })))
      .toBe("dns_failed");
  });

  it("allows private addresses only when told to", async () => {
    const u = await assertSafeUrl("http://127.0.0.1:8080/x", { allowPrivateAddress: true, lookup: noLookup });
    expect(u.host).toBe("127.0.0.1:8080");
    expect(await codeOf(assertSafeUrl("http://127.0.0.1:8080/x", { allowPrivateAddress: false }))).toBe(
      "private_address",
    );
  });
});

describe("isSafeUrlSyntax", () => {
  it.each(["https://example.com/a.png", "http://example.com/", "HTTPS://EXAMPLE.COM"])("accepts %s", (u) => {
    expect(isSafeUrlSyntax(u)).toBe(true);
  });
  it.each([
    "data:image/png;base64,AAAA", "file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)",
    "  javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "vbscript:x", "/relative/path",
    "//example.com/x", "", "not a url", "mailto:a@example.com",
  ])("rejects %j", (u) => {
    expect(isSafeUrlSyntax(u)).toBe(false);
  });
});
