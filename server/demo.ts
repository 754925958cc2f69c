// `npm run demo`: two seeded sibling instances, Paris (8081) and Lyon (8082) — or the ports given with
// `npm run demo -- --ports 9401,9402` — each with its own data directory under ./data-demo and its own embedded
// PostgreSQL. Ctrl-C stops both.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { parseArgs, promisify } from "node:util";

const run = promisify(execFile);
const PASSWORD = "ruche-demo-password";

function demoPorts(): [number, number] {
  const usage = "Usage: npm run demo [-- --ports PARIS,LYON]   e.g. npm run demo -- --ports 9401,9402";
  let ports = "8081,8082";
  try {
    const { values } = parseArgs({ options: { ports: { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    ports = values.ports ?? ports;
  } catch (e) {
    console.error(`${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  const list = ports.split(",").map((p) => Number(p.trim()));
  if (list.length !== 2 || list.some((p) => !Number.isInteger(p) || p < 1 || p > 65535) || list[0] === list[1]) {
    console.error(`--ports takes two different TCP ports (1–65535), comma-separated; got "${ports}".\n${usage}`);
    process.exit(2);
  }
  return [list[0], list[1]];
}

const [parisPort, lyonPort] = demoPorts();
// The origin (and so the port) is recorded in each database on first start: one data directory per port.
const sites = [
  { name: "Paris", port: parisPort, user: "alice", display: "Alice Martin", locked: false },
  { name: "Lyon", port: lyonPort, user: "bob", display: "Bob Durand", locked: true },
];

const children: ChildProcess[] = [];
function envFor(s: (typeof sites)[number]): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    PORT: String(s.port), RUCHE_ORIGIN: `http://localhost:${s.port}`, RUCHE_DATA: `./data-demo/${s.name.toLowerCase()}-${s.port}`,
    RUCHE_INSTANCE_NAME: s.name, RUCHE_ALLOW_PRIVATE_ADDRESS: "true",
    // Each its own embedded database, even when the shell has a DATABASE_URL.
    DATABASE_URL: "",
  };
}

async function cli(s: (typeof sites)[number], ...args: string[]): Promise<void> {
  await run(process.execPath, ["server/cli.ts", ...args], { env: envFor(s) }).catch((e) => {
    if (!/taken/.test(String(e.stderr))) throw new Error(`${s.name}: ruche ${args.join(" ")}: ${e.stderr}`);
  });
}

for (const s of sites) {
  const child = spawn(process.execPath, ["server/main.ts"], { env: envFor(s), stdio: ["ignore", "inherit", "inherit"] });
  children.push(child);
}
const stop = () => {
  for (const c of children) c.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

for (const s of sites) {
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`http://localhost:${s.port}/nodeinfo/2.1`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) {
      stop();
      throw new Error(`${s.name} did not start`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
const [paris, lyon] = sites;
await cli(paris, "sibling", "add", `http://localhost:${lyon.port}`);
await cli(lyon, "sibling", "add", `http://localhost:${paris.port}`);
for (const s of sites) {
  await cli(s, "user", "create", s.user, "--password", PASSWORD, "--display-name", s.display, ...(s.locked ? ["--locked"] : []));
}
console.log(`
Ruche demo is running (Ctrl-C stops both):
  Paris  http://localhost:${paris.port}  — sign in as ${paris.user} / ${PASSWORD}
  Lyon   http://localhost:${lyon.port}  — sign in as ${lyon.user} / ${PASSWORD} (locked account)
On Paris, search for @${lyon.user}@localhost:${lyon.port} to find Bob and follow him (in the first minutes, before the
  siblings' directories have synced: http://localhost:${lyon.port}/users/${lyon.user}).
`);
await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
