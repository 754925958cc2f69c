// One module reads the environment once and validates it (zod). A wrong value stops start-up with a message that
// names the variable and what it accepts.
import { selectQueues } from "./jobs/queues.ts";
import { resolve } from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "accepts true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const originSchema = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.pathname === "/" && !u.search && !u.hash &&
        !u.username;
    } catch {
      return false;
    }
  }, { message: "accepts an origin such as https://paris.example.com (scheme, host and optional port, no path)" })
  .transform((v) => new URL(v).origin);

const envSchema = z.object({
  PORT: z.coerce.number({ message: "accepts a TCP port number" }).int().min(0, "accepts a TCP port 0–65535")
    .max(65535, "accepts a TCP port 0–65535").default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  RUCHE_ORIGIN: originSchema.optional(),
  RUCHE_DATA: z.string().min(1, "accepts a directory path").default("./data"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "accepts a postgres:// or postgresql:// URL").optional(),
  RUCHE_ROLE: z.enum(["all", "web", "worker"], { message: "accepts all, web or worker" }).default("all"),
  RUCHE_QUEUES: z.string().default(""),
  RUCHE_FEDERATION: z.enum(["siblings", "open"], { message: "accepts siblings or open" }).default("siblings"),
  RUCHE_ALLOW_PRIVATE_ADDRESS: bool.default(false),
  RUCHE_TRUST_PROXY: bool.default(false),
  RUCHE_SIBLINGS: z.string().default(""),
  RUCHE_INSTANCE_NAME: z.string().min(1).max(100).optional(),
  RUCHE_TLS_CERT: z.string().optional(),
  RUCHE_TLS_KEY: z.string().optional(),
  RUCHE_LOG_LEVEL: z.enum(["debug", "info", "warning", "error"], { message: "accepts debug, info, warning or error" })
    .default("info"),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  // WebTV (issue #13): the largest upload, the longest video, and how many transcodes one worker runs at once.
  RUCHE_VIDEO_MAX_BYTES: z.coerce.number({ message: "accepts a number of bytes" }).int().positive().default(4 * 1024 ** 3),
  RUCHE_VIDEO_MAX_SECONDS: z.coerce.number({ message: "accepts a number of seconds" }).positive().default(3 * 3600),
  RUCHE_TRANSCODE_CONCURRENCY: z.coerce.number({ message: "accepts a number of transcodes" }).int().min(1).max(16).default(1),
  RUCHE_OIDC_ISSUER: z.string().url("accepts the issuer URL of the company's identity provider").optional(),
  RUCHE_OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  RUCHE_OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  RUCHE_OIDC_NAME: z.string().min(1).max(60).optional(),
  RUCHE_OIDC_SCOPES: z.string().default("openid profile email"),
  RUCHE_OIDC_CLAIM_USERNAME: z.string().min(1).default("preferred_username"),
  RUCHE_OIDC_CLAIM_NAME: z.string().min(1).default("name"),
  RUCHE_OIDC_CLAIM_EMAIL: z.string().min(1).default("email"),
  RUCHE_OIDC_CLAIM_DEPARTMENT: z.string().min(1).default("department"),
  RUCHE_OIDC_CLAIM_SITE: z.string().min(1).default("site"),
  RUCHE_OIDC_CLAIM_JOB_TITLE: z.string().min(1).default("job_title"),
  RUCHE_OIDC_CLAIM_MANAGER: z.string().min(1).default("manager"),
  RUCHE_PASSWORD_LOGIN: bool.default(true),
  RUCHE_DELETION_GRACE_DAYS: z.coerce.number().int().min(0).max(90, "accepts 0 to 90 days").default(14),
  /** How long the raw, individual-level analytics record (the days a person used Ruche) is kept; weekly aggregates stay. */
  RUCHE_ANALYTICS_RETENTION_DAYS: z.coerce.number().int().min(7, "accepts 7 to 800 days").max(800, "accepts 7 to 800 days").default(395),
});

export interface Config {
  port: number;
  host: string;
  origin: string;
  /** Whether RUCHE_ORIGIN was given (otherwise the origin is derived from PORT). */
  originExplicit: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  role: "all" | "web" | "worker";
  /** Job queues or worker groups this process takes (server/jobs/queues.ts); empty: all. */
  queues: string[];
  federation: "siblings" | "open";
  allowPrivateAddress: boolean;
  /** Behind a reverse proxy: the client address is the last one of X-Forwarded-For (sign-in limits per address). */
  trustProxy: boolean;
  /** Siblings named in the environment, merged with the CLI-managed list at start-up. */
  siblings: string[];
  instanceName: string;
  tls: { cert: string; key: string } | undefined;
  logLevel: "debug" | "info" | "warning" | "error";
  ffmpegPath: string | undefined;
  ffprobePath: string | undefined;
  /** WebTV limits (RUCHE_VIDEO_MAX_BYTES, RUCHE_VIDEO_MAX_SECONDS) and transcodes run at once per worker. */
  video: { maxBytes: number; maxSeconds: number; transcodeConcurrency: number };
  /** Company sign-in (OpenID Connect), when RUCHE_OIDC_ISSUER is set. */
  oidc: OidcConfig | undefined;
  /** false: local passwords are turned off, everyone signs in through the company's identity provider. */
  passwordLogin: boolean;
  /** Days between a person asking to delete their account and its erasure; they may cancel meanwhile. */
  deletionGraceDays: number;
  analyticsRetentionDays: number;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The company's name on the sign-in button ("Se connecter avec …"). */
  name: string;
  scopes: string;
  /** Which claim carries each account field (ID token and UserInfo claims, merged). */
  claims: { username: string; name: string; email: string; department: string; site: string; jobTitle: string; manager: string };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") picked[key] = v;
  }
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? "environment");
      return `  ${name}=${JSON.stringify(picked[name] ?? "")}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const siblings: string[] = [];
  for (const s of e.RUCHE_SIBLINGS.split(/[\s,]+/).filter(Boolean)) {
    const r = originSchema.safeParse(s);
    if (!r.success) throw new ConfigError(`Invalid configuration:\n  RUCHE_SIBLINGS: "${s}" ${r.error.issues[0].message}`);
    siblings.push(r.data);
  }
  try {
    selectQueues(e.RUCHE_QUEUES.split(/[\s,]+/).filter(Boolean));
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  ${(err as Error).message}`);
  }
  if ((e.RUCHE_TLS_CERT == null) !== (e.RUCHE_TLS_KEY == null)) {
    throw new ConfigError("Invalid configuration:\n  RUCHE_TLS_CERT and RUCHE_TLS_KEY: set both or neither");
  }
  const oidc = oidcConfig(e);
  if (!e.RUCHE_PASSWORD_LOGIN && !oidc) {
    throw new ConfigError("Invalid configuration:\n  RUCHE_PASSWORD_LOGIN=false needs RUCHE_OIDC_ISSUER: nobody could sign in");
  }
  const scheme = e.RUCHE_TLS_CERT ? "https" : "http";
  const origin = e.RUCHE_ORIGIN ?? `${scheme}://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    origin,
    originExplicit: e.RUCHE_ORIGIN != null,
    dataDir: resolve(e.RUCHE_DATA),
    databaseUrl: e.DATABASE_URL,
    role: e.RUCHE_ROLE,
    queues: e.RUCHE_QUEUES.split(/[\s,]+/).filter(Boolean),
    federation: e.RUCHE_FEDERATION,
    allowPrivateAddress: e.RUCHE_ALLOW_PRIVATE_ADDRESS,
    trustProxy: e.RUCHE_TRUST_PROXY,
    siblings,
    instanceName: e.RUCHE_INSTANCE_NAME ?? new URL(origin).host,
    tls: e.RUCHE_TLS_CERT && e.RUCHE_TLS_KEY ? { cert: e.RUCHE_TLS_CERT, key: e.RUCHE_TLS_KEY } : undefined,
    logLevel: e.RUCHE_LOG_LEVEL,
    ffmpegPath: e.FFMPEG_PATH,
    ffprobePath: e.FFPROBE_PATH,
    video: { maxBytes: e.RUCHE_VIDEO_MAX_BYTES, maxSeconds: e.RUCHE_VIDEO_MAX_SECONDS, transcodeConcurrency: e.RUCHE_TRANSCODE_CONCURRENCY },
    oidc,
    passwordLogin: e.RUCHE_PASSWORD_LOGIN,
    deletionGraceDays: e.RUCHE_DELETION_GRACE_DAYS,
    analyticsRetentionDays: e.RUCHE_ANALYTICS_RETENTION_DAYS,
  };
}

function oidcConfig(e: z.infer<typeof envSchema>): OidcConfig | undefined {
  if (!e.RUCHE_OIDC_ISSUER) {
    if (e.RUCHE_OIDC_CLIENT_ID) throw new ConfigError("Invalid configuration:\n  RUCHE_OIDC_CLIENT_ID is set without RUCHE_OIDC_ISSUER");
    return undefined;
  }
  const issuer = new URL(e.RUCHE_OIDC_ISSUER);
  // A plain-http identity provider only on a test or LAN set-up (the same switch that allows private addresses).
  if (issuer.protocol !== "https:" && !(issuer.protocol === "http:" && e.RUCHE_ALLOW_PRIVATE_ADDRESS)) {
    throw new ConfigError(`Invalid configuration:\n  RUCHE_OIDC_ISSUER="${e.RUCHE_OIDC_ISSUER}": accepts an https:// URL`);
  }
  if (!e.RUCHE_OIDC_CLIENT_ID || !e.RUCHE_OIDC_CLIENT_SECRET) {
    throw new ConfigError("Invalid configuration:\n  RUCHE_OIDC_ISSUER needs RUCHE_OIDC_CLIENT_ID and RUCHE_OIDC_CLIENT_SECRET");
  }
  if (!e.RUCHE_OIDC_SCOPES.split(/\s+/).includes("openid")) {
    throw new ConfigError(`Invalid configuration:\n  RUCHE_OIDC_SCOPES="${e.RUCHE_OIDC_SCOPES}": must include openid`);
  }
  return {
    issuer: e.RUCHE_OIDC_ISSUER,
    clientId: e.RUCHE_OIDC_CLIENT_ID,
    clientSecret: e.RUCHE_OIDC_CLIENT_SECRET,
    name: e.RUCHE_OIDC_NAME ?? issuer.host,
    scopes: e.RUCHE_OIDC_SCOPES,
    claims: {
      username: e.RUCHE_OIDC_CLAIM_USERNAME, name: e.RUCHE_OIDC_CLAIM_NAME, email: e.RUCHE_OIDC_CLAIM_EMAIL,
      department: e.RUCHE_OIDC_CLAIM_DEPARTMENT, site: e.RUCHE_OIDC_CLAIM_SITE, jobTitle: e.RUCHE_OIDC_CLAIM_JOB_TITLE,
      manager: e.RUCHE_OIDC_CLAIM_MANAGER,
    },
  };
}
