// Bulk import of employees from a CSV export (HR system, directory): `npm run ruche -- user import people.csv`.
// Each row creates or updates one local account and its profile; running the same file twice changes nothing the
// second time. A bad row is reported with its line number and skipped, the others go on. Managers may appear later
// in the file than their reports: accounts are written first, managers linked in a second pass.
import type { Sql } from "../../db/pool.ts";
import { createLocalUser, findLocalUser, updateProfile, usernameSchema, LIMITS } from "../accounts/accounts.ts";
import { DomainError } from "../errors.ts";
import { validateProfile } from "./profile-validation.ts";
import { managerIriFromRef, ProfileValidationError, updateLocalProfile } from "./profiles.ts";

export const IMPORT_COLUMNS = ["username", "name", "email", "department", "site", "job_title", "manager", "expertise"] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
const ALIASES: Record<string, Column> = {
  username: "username", user: "username", login: "username", name: "name", display_name: "name", full_name: "name",
  email: "email", e_mail: "email", mail: "email", department: "department", service: "department", site: "site",
  office: "site", job_title: "job_title", title: "job_title", job: "job_title", manager: "manager", expertise: "expertise",
  skills: "expertise",
};
const MAX_ROWS = 100_000;

export interface CsvRecord { line: number; fields: string[] }

/**
 * RFC 4180 records (quoted fields may hold commas, quotes and line breaks), with the physical line each record starts
 * on. The delimiter is the header's: a comma, or a semicolon as French spreadsheets write.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.replace(/^\uFEFF/, "");
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const delimiter = firstLine.includes(";") && !firstLine.includes(",") ? ";" : firstLine.includes("\t") && !firstLine.includes(",") ? "\t" : ",";
  const records: CsvRecord[] = [];
  let fields: string[] = [], field = "", quoted = false, line = 1, start = 1, i = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0].trim() === "")) records.push({ line: start, fields });
    fields = [];
    field = "";
  };
  while (i < src.length) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      if (ch === "\n") line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field.trim() === "") { quoted = true; field = ""; i++; continue; }
    if (ch === delimiter) { fields.push(field); field = ""; i++; continue; }
    if (ch === "\r" && src[i + 1] === "\n") { i++; continue; }
    if (ch === "\n") { endRecord(); line++; start = line; i++; continue; }
    field += ch;
    i++;
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
  /** The accounts this run created, in file order: they have no password yet (the CLI prints invitation links). */
  createdUsers: { username: string; accountId: string }[];
}

interface Row { line: number; values: Record<Column, string> }

export async function importUsers(sql: Sql, origin: string, csv: string): Promise<ImportReport> {
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [], createdUsers: [] };
  const records = parseCsv(csv);
  if (records.length === 0) throw new DomainError("empty_file", 422, "the file is empty");
  const header = records[0].fields.map((h) => ALIASES[h.trim().toLowerCase().replace(/[\s-]+/g, "_")] ?? null);
  if (!header.includes("username")) {
    throw new DomainError("bad_header", 422, `line ${records[0].line}: the first line must name the columns (${IMPORT_COLUMNS.join(", ")}); "username" is required`);
  }
  if (records.length - 1 > MAX_ROWS) throw new DomainError("too_many_rows", 422, `at most ${MAX_ROWS} rows per file`);
  const fail = (line: number, message: string) => report.errors.push({ line, message });

  // Pass 1: rows → accounts and profiles (without managers).
  const seen = new Map<string, number>();
  const states = new Map<number, "created" | "updated" | "unchanged">();
  const withManager: Row[] = [];
  for (const rec of records.slice(1)) {
    if (rec.fields.length !== records[0].fields.length) {
      fail(rec.line, `expected ${records[0].fields.length} fields, found ${rec.fields.length}`);
      continue;
    }
    const values = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, ""])) as Record<Column, string>;
    header.forEach((col, i) => { if (col) values[col] = rec.fields[i].trim(); });
    const row: Row = { line: rec.line, values };
    try {
      states.set(row.line, await importRow(sql, origin, row, seen, report));
      if (values.manager) withManager.push(row);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      fail(row.line, errorText(e));
    }
  }
  // Pass 2: managers, now that every account of the file exists. A bad manager fails its row's report line, but the
  // account itself was written in pass 1.
  for (const row of withManager) {
    try {
      const user = await findLocalUser(sql, row.values.username.toLowerCase().replace(/^@/, ""));
      if (!user) continue;
      const manager = await managerIriFromRef(sql, row.values.manager, new URL(origin).host);
      if (!manager) throw new DomainError("unknown_manager", 422, `manager: no account "${row.values.manager.slice(0, 100)}"`);
      const { changed } = await updateLocalProfile(sql, user.account.id, { manager });
      if (changed && states.get(row.line) === "unchanged") states.set(row.line, "updated");
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      fail(row.line, errorText(e));
    }
  }
  for (const state of states.values()) report[state]++;
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

function errorText(e: DomainError): string {
  if (e instanceof ProfileValidationError) return e.errors.map((x) => `${columnOf(x.field)}: ${x.message}`).join("; ");
  return e.message;
}

function columnOf(field: string): string {
  return ({ jobTitle: "job_title", workEmail: "email", displayName: "name" } as Record<string, string>)[field] ?? field;
}

async function importRow(sql: Sql, origin: string, row: Row, seen: Map<string, number>, report: ImportReport): Promise<"created" | "updated" | "unchanged"> {
  const v = row.values;
  const username = v.username.toLowerCase().replace(/^@/, "");
  const u = usernameSchema.safeParse(username);
  if (!u.success) throw new DomainError("invalid_username", 422, `username: ${u.error.issues[0].message}`);
  const earlier = seen.get(username);
  if (earlier !== undefined) throw new DomainError("duplicate", 422, `username: ${username} is already on line ${earlier}`);
  seen.set(username, row.line);
  if (v.name.length > LIMITS.displayName) throw new DomainError("too_long", 422, `name: at most ${LIMITS.displayName} characters`);
  const email = v.email.toLowerCase();
  // Validate everything before writing anything, so a bad row leaves no half-made account behind.
  const profileInput = { department: v.department, site: v.site, jobTitle: v.job_title, workEmail: email, expertise: v.expertise };
  const checked = validateProfile(profileInput);
  if (!checked.ok) throw new ProfileValidationError(checked.errors);

  let user = await findLocalUser(sql, username);
  let state: "created" | "updated" | "unchanged" = "unchanged";
  if (!user) {
    user = await createLocalUser(sql, origin, { username, email: email || undefined, displayName: v.name, deferKeys: true });
    report.createdUsers.push({ username, accountId: user.account.id });
    state = "created";
  } else {
    if (user.disabled) throw new DomainError("disabled", 422, `username: @${username} is disabled; enable it before importing`);
    if (v.name !== user.account.displayName) {
      await updateProfile(sql, user.account.id, { displayName: v.name });
      state = "updated";
    }
    if ((user.email ?? "") !== email) {
      await sql`UPDATE users SET email = ${email || null} WHERE account_id = ${user.account.id}`;
      state = "updated";
    }
  }
  const { changed } = await updateLocalProfile(sql, user.account.id, profileInput);
  if (changed && state === "unchanged") state = "updated";
  return state;
}
