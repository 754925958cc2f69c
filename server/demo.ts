// `npm run demo`: two seeded sibling instances, Paris (8081) and Lyon (8082), each with its own data directory
// under ./data-demo and its own embedded PostgreSQL. Ctrl-C stops both.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const PASSWORD = "ruche-demo-password";
const sites = [
  { name: "Paris", port: 8081, user: "alice", display: "Alice Martin", locked: false },
  { name: "Lyon", port: 8082, user: "bob", display: "Bob Durand", locked: true },
];

const children: ChildProcess[] = [];
function envFor(s: (typeof sites)[number]): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    PORT: String(s.port), RUCHE_ORIGIN: `http://localhost:${s.port}`, RUCHE_DATA: `./data-demo/${s.name.toLowerCase()}`,
    RUCHE_INSTANCE_NAME: s.name, RUCHE_ALLOW_PRIVATE_ADDRESS: "true",
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
On Paris, search for http://localhost:${lyon.port}/users/${lyon.user} to find Bob and follow him.
`);
await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
