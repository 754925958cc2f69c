// The instance's rules (Mastodon's server rules: what apps show on sign-up and in "about"), written by the operator
// through the CLI (`npm run ruche -- rule add|remove|list`), read by /api/v1/instance/rules and both instance
// documents. A short ordered list, kept as one instance setting: no table needed.
//
//   listRules(db) → InstanceRule[] (in the operator's order)
//   addRule(db, { text, hint? }) → InstanceRule / removeRule(db, id) → boolean
import { z } from "zod";
import { atomically, type Db } from "../../db/pool.ts";
import { DomainError } from "../errors.ts";

export interface InstanceRule { id: string; text: string; hint: string }

/** Mastodon's limits (app/models/rule.rb: text 300 characters; the hint is free text, capped here). */
export const RULE_LIMITS = { text: 300, hint: 1000, count: 50 } as const;

const ruleInput = z.object({
  text: z.string().trim().min(1, "a rule needs a text").max(RULE_LIMITS.text, `at most ${RULE_LIMITS.text} characters`),
  hint: z.string().trim().max(RULE_LIMITS.hint, `at most ${RULE_LIMITS.hint} characters`).default(""),
});

const stored = z.object({ next: z.number().int(), rules: z.array(z.object({ id: z.string(), text: z.string(), hint: z.string() })) });
type Stored = z.infer<typeof stored>;

const KEY = "rules";

function read(value: unknown): Stored {
  const parsed = stored.safeParse(value);
  return parsed.success ? parsed.data : { next: 1, rules: [] };
}

export async function listRules(db: Db): Promise<InstanceRule[]> {
  const [row] = await db`SELECT value FROM instance_settings WHERE key = ${KEY}`;
  return read(row?.value).rules;
}

/** Changes the list under a row lock, so that two operators adding at once both keep their rule. */
async function change<T>(db: Db, fn: (s: Stored) => T): Promise<T> {
  return await atomically(db, async (tx) => {
    await tx`INSERT INTO instance_settings (key, value) VALUES (${KEY}, ${tx.json({ next: 1, rules: [] })}) ON CONFLICT (key) DO NOTHING`;
    const [row] = await tx`SELECT value FROM instance_settings WHERE key = ${KEY} FOR UPDATE`;
    const s = read(row.value);
    const out = fn(s);
    await tx`UPDATE instance_settings SET value = ${tx.json(s as never)} WHERE key = ${KEY}`;
    return out;
  });
}

export async function addRule(db: Db, input: z.input<typeof ruleInput>): Promise<InstanceRule> {
  const parsed = ruleInput.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new DomainError("validation_failed", 422, `${String(i.path[0])}: ${i.message}`, String(i.path[0]));
  }
  return await change(db, (s) => {
    if (s.rules.length >= RULE_LIMITS.count) throw new DomainError("too_many_rules", 422, `at most ${RULE_LIMITS.count} rules`);
    const rule = { id: String(s.next), text: parsed.data.text, hint: parsed.data.hint };
    s.next += 1;
    s.rules.push(rule);
    return rule;
  });
}

export async function removeRule(db: Db, id: string): Promise<boolean> {
  return await change(db, (s) => {
    const before = s.rules.length;
    s.rules = s.rules.filter((r) => r.id !== id);
    return s.rules.length < before;
  });
}
