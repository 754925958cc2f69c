// /api/ruche/v1/profiles: the structured profile Mastodon's API has no place for (job, department, site, contact,
// manager, expertise, languages, career, per-field visibility), the directory search and the org chart.
// Same tokens, scopes and JSON errors as the Mastodon API; documented in docs/profiles.md.
import type { Context, Hono } from "hono";
import { z } from "zod";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { type DirectoryEntry, directoryFacets, orgChart, searchDirectory } from "../../domain/profiles/directory.ts";
import { EMPTY_PROFILE, type ProfileInput, VISIBLE_FIELDS } from "../../domain/profiles/profile-validation.ts";
import { visibleProfile } from "../../domain/profiles/profile-visibility.ts";
import { getProfile, managerIriFromRef, ProfileValidationError, type StoredProfile, updateLocalProfile } from "../../domain/profiles/profiles.ts";
import type { RouteDeps } from "../deps.ts";
import { scopeOf } from "../mastodon/accounts.ts";
import { type ApiEnv, scopeRequired, tokenOptional, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { notFound } from "../mastodon/errors.ts";
import { bodyParams, limitParam, parse, queryParams } from "../mastodon/params.ts";
import { type AccountEntity, serializeAccounts } from "../mastodon/serializers.ts";

const text = z.string().max(2_000).optional();
const updateSchema = z.object({
  pronouns: text, job_title: text, department: text, site: text, work_phone: text, work_email: text,
  manager: z.string().max(2_000).nullable().optional(),
  expertise: z.union([z.array(z.string().max(200)).max(100), z.string().max(5_000)]).optional(),
  languages: z.union([z.array(z.string().max(50)).max(50), z.string().max(1_000)]).optional(),
  career: z.array(z.object({
    role: z.string().max(500).optional(), organisation: z.string().max(500).optional(),
    from: z.string().max(20).optional(), to: z.string().max(20).nullable().optional(),
  })).max(100).optional(),
  visibility: z.record(z.string(), z.string()).optional(),
});

const searchSchema = z.object({
  q: z.string().max(200).optional(), knows: z.string().max(100).optional(), instance: z.string().max(300).optional(),
  department: z.string().max(200).optional(), site: z.string().max(200).optional(), expertise: z.string().max(100).optional(),
  limit: limitParam(40, 80),
  offset: z.preprocess((v) => (v === "" || v == null ? undefined : v), z.coerce.number().int().min(0).max(10_000).optional()),
});

/** Our field names → the snake_case names of this API (used in error details). */
const API_FIELD: Record<string, string> = { jobTitle: "job_title", workPhone: "work_phone", workEmail: "work_email" };

export function profileJson(p: StoredProfile, opts: { own: boolean }) {
  return {
    pronouns: p.pronouns, job_title: p.jobTitle, department: p.department, site: p.site,
    work_phone: p.workPhone, work_email: p.workEmail, manager_uri: p.manager, expertise: p.expertise,
    languages: p.languages, career: p.career, custom_fields: p.customFields,
    instance: p.instanceName || null,
    ...(opts.own ? { visibility: Object.fromEntries(VISIBLE_FIELDS.map((f) => [f, p.visibility[f] ?? "internal"])) } : {}),
  };
}

function profileFailed(c: Context, e: ProfileValidationError): Response {
  const details: Record<string, { error: string; description: string }[]> = {};
  for (const x of e.errors) {
    const field = x.field.split(".").map((part) => API_FIELD[part] ?? part).join(".");
    (details[field] ??= []).push({ error: x.code === "too_long" ? "ERR_TOO_LONG" : "ERR_INVALID", description: x.message });
  }
  return c.json({ error: `Validation failed: ${e.errors.map((x) => `${x.field} ${x.message}`).join(", ")}`, details }, 422);
}

export function registerRucheProfiles(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const localHost = new URL(config.origin).host;
  const read = [tokenOptional(deps), scopeRequired(["read:accounts"])] as const;

  async function entries(c: Context<ApiEnv>, list: DirectoryEntry[]): Promise<{ account: AccountEntity; profile: ReturnType<typeof profileJson> }[]> {
    const scope = scopeOf(c);
    const accounts = await serializeAccounts(sql, config.origin, list.map((e) => e.account), { scope });
    return list.map((e, i) => ({
      account: accounts[i],
      profile: profileJson({ ...e.profile, ...(visibleProfile(e.account, e.profile, scope).profile ?? EMPTY_PROFILE) }, { own: false }),
    }));
  }

  api.get("/api/ruche/v1/profiles/me", tokenRequired(deps), scopeRequired(["read:accounts"]), async (c) => {
    const viewer = viewerOf(c);
    const profile = await getProfile(sql, viewer.accountId);
    if (!profile) throw notFound();
    const [account] = await serializeAccounts(sql, config.origin, [viewer.user.account], { scope: "internal" });
    return c.json({ account, profile: profileJson(profile, { own: true }) });
  });

  api.on(["PATCH", "PUT"], "/api/ruche/v1/profiles/me", tokenRequired(deps), scopeRequired(["write:accounts"]), async (c) => {
    const viewer = viewerOf(c);
    const p = parse(updateSchema, await bodyParams(c));
    const input: ProfileInput = {
      pronouns: p.pronouns, jobTitle: p.job_title, department: p.department, site: p.site, workPhone: p.work_phone,
      workEmail: p.work_email, expertise: p.expertise, languages: p.languages, visibility: p.visibility as ProfileInput["visibility"],
      career: p.career?.map((e) => ({ role: e.role ?? "", organisation: e.organisation ?? "", from: e.from ?? "", to: e.to ?? null })),
    };
    try {
      if (p.manager !== undefined) {
        input.manager = p.manager === null || p.manager === "" ? null : await managerIriFromRef(sql, p.manager, localHost);
        if (p.manager && !input.manager) throw new ProfileValidationError([{ field: "manager", code: "invalid", message: `no known account "${p.manager.slice(0, 100)}"` }]);
      }
      // PATCH and PUT change only the visibilities they name (docs/profiles.md).
      const { profile } = await updateLocalProfile(sql, viewer.accountId, input, { visibility: "merge" });
      const [account] = await serializeAccounts(sql, config.origin, [viewer.user.account], { scope: "internal" });
      return c.json({ account, profile: profileJson(profile, { own: true }) });
    } catch (e) {
      if (e instanceof ProfileValidationError) return profileFailed(c, e);
      throw e;
    }
  });

  api.get("/api/ruche/v1/profiles/search", ...read, async (c) => {
    const q = parse(searchSchema, queryParams(c));
    // Anonymous readers (open mode) search and filter on public fields only (issue #8 point 27).
    const found = await searchDirectory(sql, { ...q, instance: q.instance === localHost ? "local" : q.instance }, scopeOf(c));
    return c.json(await entries(c, found));
  });

  api.get("/api/ruche/v1/profiles/facets", ...read, async (c) => c.json(await directoryFacets(sql, scopeOf(c))));

  api.get("/api/ruche/v1/profiles/:id{[0-9]+}", ...read, async (c) => {
    const account = await findAccountById(sql, c.req.param("id"));
    const profile = account ? await getProfile(sql, account.id) : null;
    if (!account || !profile) throw notFound();
    const [entity] = await entries(c, [{ account, profile }]);
    return c.json(entity);
  });

  api.get("/api/ruche/v1/profiles/:id{[0-9]+}/org_chart", ...read, async (c) => {
    const account = await findAccountById(sql, c.req.param("id"));
    if (!account) throw notFound();
    const chart = await orgChart(sql, account.id, scopeOf(c));
    return c.json({ managers: await entries(c, chart.chain), reports: await entries(c, chart.reports) });
  });
}
