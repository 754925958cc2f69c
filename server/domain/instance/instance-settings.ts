// The origin is part of every ActivityPub id this instance ever published: it is recorded on first start and may
// not silently change afterwards (the CLI, run without RUCHE_ORIGIN, uses the recorded one).
import type { Db } from "../../db/pool.ts";
import type { Config } from "../../config.ts";
import { DomainError } from "../errors.ts";

export async function getSetting<T>(db: Db, key: string): Promise<T | null> {
  const rows = await db`SELECT value FROM instance_settings WHERE key = ${key}`;
  return rows[0] ? (rows[0].value as T) : null;
}

export async function setSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db`INSERT INTO instance_settings (key, value) VALUES (${key}, ${db.json(value as never)})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
}

/** The setting, made by `make` and recorded if there is none yet; when two processes race, both get the first one recorded. */
export async function settingOnce<T>(db: Db, key: string, make: () => T): Promise<T> {
  const recorded = await getSetting<T>(db, key);
  if (recorded != null) return recorded;
  await db`INSERT INTO instance_settings (key, value) VALUES (${key}, ${db.json(make() as never)}) ON CONFLICT (key) DO NOTHING`;
  return (await getSetting<T>(db, key))!;
}

/** Returns the config with the recorded origin, recording it on first use. Throws when it would change. */
export async function settleOrigin(db: Db, config: Config, opts: { record: boolean }): Promise<Config> {
  const recorded = await getSetting<string>(db, "origin");
  if (recorded == null) {
    if (opts.record) await setSetting(db, "origin", config.origin);
    return config;
  }
  if (recorded === config.origin) return config;
  if (!config.originExplicit) return { ...config, origin: recorded, instanceName: config.instanceName === new URL(config.origin).host ? new URL(recorded).host : config.instanceName };
  throw new Error(`RUCHE_ORIGIN is ${config.origin}, but this database belongs to ${recorded}: ActivityPub ids cannot change. ` +
    `Start with RUCHE_ORIGIN=${recorded}, or use another data directory / DATABASE_URL.`);
}

/** The instance's description (what apps show in "about"), written by administrators; plain text. */
export const DESCRIPTION_MAX = 1000;

export async function instanceDescription(db: Db): Promise<string> {
  return (await getSetting<string>(db, "description")) ?? "";
}

export async function setInstanceDescription(db: Db, text: unknown): Promise<string> {
  const value = typeof text === "string" ? text.replace(/\r\n/g, "\n").trim() : "";
  if (value.length > DESCRIPTION_MAX) {
    throw new DomainError("description_too_long", 422, `at most ${DESCRIPTION_MAX} characters`, "description");
  }
  await setSetting(db, "description", value);
  return value;
}
