// A throwaway certificate authority and a localhost certificate for tests, so instances talk HTTPS on loopback
// and WebFinger handle lookups (always https://) work between them. See docs/adr/0002-tls-on-loopback-for-tests.md.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import tls from "node:tls";

export interface TestTls { dir: string; caCert: string; cert: string; key: string }

export function ensureTestTls(dir: string): TestTls {
  const out = { dir, caCert: join(dir, "ca.crt"), cert: join(dir, "localhost.crt"), key: join(dir, "localhost.key") };
  if (existsSync(out.caCert) && existsSync(out.cert) && existsSync(out.key)) return out;
  mkdirSync(dir, { recursive: true });
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
    "-subj", "/CN=Ruche test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "localhost.key", "-out", "localhost.csr", "-subj", "/CN=localhost"]);
  writeFileSync(join(dir, "ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  run(["x509", "-req", "-in", "localhost.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "localhost.crt",
    "-days", "30", "-extfile", "ext.cnf"]);
  return out;
}

let trusted = false;

/** Trusts the test CA in this process (fetch and https); child processes get NODE_EXTRA_CA_CERTS instead. */
export function trustTestCa(caCertPath: string): void {
  if (trusted) return;
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), readFileSync(caCertPath, "utf8")]);
  trusted = true;
}
