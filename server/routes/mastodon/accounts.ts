// /api/v1/accounts/*: the viewer's own account, profiles, lookup, follow/unfollow, follower lists, relationships.
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import {
  type Account, type DefaultVisibility, findAccountByHandle, findAccountById, findLocalUserById, profileSchema, type ProfileInput,
  setPostingDefaults, updateProfile,
} from "../../domain/accounts/accounts.ts";
import { DomainError } from "../../domain/errors.ts";
import { follow, listFollowers, listFollowing, relationships, unfollow } from "../../domain/follows/follows.ts";
import { MAX_IMAGE_BYTES, saveImageUpload } from "../../domain/media/media.ts";
import { validateProfile } from "../../domain/profiles/profile-validation.ts";
import { ProfileValidationError, updateLocalProfile } from "../../domain/profiles/profiles.ts";
import { resolveHandle } from "../../../federation/remote-actors.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiContext, type ApiEnv, scopeRequired, tokenOptional, tokenRequired, viewerOf } from "./auth.ts";
import { notFound } from "./errors.ts";
import { bodyParams, boolParam, idParam, pageItems, pageSchema, parse, queryParams } from "./params.ts";
import { fromApiVisibility } from "./status-serializer.ts";
import { relationshipEntity, serializeAccount, serializeAccounts, serializeCredentialAccount } from "./serializers.ts";
import { ANONYMOUS, localViewer } from "../../domain/audience/visibility.ts";
import { type ProfileAudience, profileAudienceOf } from "../../domain/profiles/profile-visibility.ts";

// A form field that may carry a file; clients send an empty string for "no file".
const upload = z.preprocess((v) => (v === "" ? undefined : v), z.instanceof(File, { message: "must be a file" }).optional());

const updateCredentialsSchema = z.object({
  display_name: z.string().optional(),
  note: z.string().optional(),
  locked: boolParam,
  discoverable: boolParam,
  bot: boolParam, // accepted for compatibility; a local user is always a Person
  avatar: upload,
  header: upload,
  // Posting defaults (`source[privacy]=public&source[language]=de` in forms): the scope and language of new posts
  // sent without them, here and in the web composer. `private` means followers-only, as in Mastodon; our `internal`
  // and `local` are accepted by name. `sensitive: true` (mark every post sensitive) cannot be honoured yet: refused.
  source: z.object({
    privacy: z.enum(["public", "unlisted", "private", "internal", "local", "followers"]).optional(),
    language: z.union([z.literal(""), z.string().regex(/^[a-z]{2,3}$/, "must be a language code such as fr or en")]).nullable().optional(),
    sensitive: boolParam.refine((v) => v !== true, "marking every post sensitive by default is not supported yet"),
  }).optional(),
});

const followSchema = z.object({
  reblogs: boolParam,
  notify: boolParam,
  languages: z.array(z.string()).optional(),
});

const relationshipsSchema = z.object({
  id: z.union([idParam, z.array(idParam).max(80)]).optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

const lookupSchema = z.object({ acct: z.string().trim().min(1).max(320) });

/** Employees (token holders) see internal profile fields; anonymous readers (open mode only) the public ones. */
export function scopeOf(c: ApiContext): ProfileAudience {
  const v = c.get("viewer");
  return profileAudienceOf(v ? localViewer(v.accountId) : ANONYMOUS);
}

/**
 * Mastodon's `fields_attributes`, as clients send it: JSON `[{name, value}]` or `{"0": {name, value}}`, or form keys
 * `fields_attributes[0][name]` (nested by bodyParams). Undefined when absent (the fields are left as they are).
 */
export function readFieldsAttributes(params: Record<string, unknown>): { name: string; value: string }[] | undefined {
  const slots = new Map<number, { name: string; value: string }>();
  const put = (i: number, key: string, v: unknown) => {
    if (!Number.isInteger(i) || i < 0 || i > 50 || (key !== "name" && key !== "value")) return;
    const slot = slots.get(i) ?? { name: "", value: "" };
    slot[key] = typeof v === "string" ? v : "";
    slots.set(i, slot);
  };
  let found = false;
  const nested = params.fields_attributes;
  if (nested && typeof nested === "object") {
    found = true;
    for (const [k, v] of Object.entries(nested as Record<string, unknown>)) {
      if (v && typeof v === "object") for (const [f, x] of Object.entries(v as Record<string, unknown>)) put(Number(k), f, x);
    }
  }
  return found ? [...slots.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f) : undefined;
}

const ACCOUNTS_PAGE = pageSchema(40, 80);

export function registerAccounts(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const origin = config.origin;
  const localHost = new URL(origin).host.toLowerCase();
  const readAccounts = [tokenOptional(deps), scopeRequired(["read:accounts"])] as const;
  const writeFollows = [tokenRequired(deps), scopeRequired(["write:follows", "follow"])] as const;

  async function accountParam(c: ApiContext): Promise<Account> {
    const account = await findAccountById(sql, c.req.param("id") ?? "");
    if (!account) throw notFound();
    return account;
  }

  async function relationshipTo(viewerId: string, id: string) {
    const [r] = await relationships(sql, viewerId, [id]);
    return relationshipEntity(r);
  }

  api.get("/api/v1/accounts/verify_credentials", tokenRequired(deps), scopeRequired(["read:accounts", "profile"]), async (c) => {
    return c.json(await serializeCredentialAccount(sql, origin, viewerOf(c).user));
  });

  // Two images and the text fields: a bigger body is refused before it is read.
  const credentialsBodyLimit = bodyLimit({
    maxSize: 2 * MAX_IMAGE_BYTES + 256 * 1024,
    onError: (c) => c.json({ error: "Request entity too large" }, 413),
  });
  api.on(["PATCH", "PUT"], "/api/v1/accounts/update_credentials", tokenRequired(deps), scopeRequired(["write:accounts"]),
    credentialsBodyLimit, async (c) => {
      const viewer = viewerOf(c);
      const params = await bodyParams(c);
      const p = parse(updateCredentialsSchema, params);
      const profile: ProfileInput = { displayName: p.display_name, bio: p.note, locked: p.locked, discoverable: p.discoverable };
      const customFields = readFieldsAttributes(params);
      if (customFields) {
        // Checked before any file is stored, like the text fields below.
        const v = validateProfile({ customFields });
        if (!v.ok) throw new ProfileValidationError(v.errors.map((e) => ({ ...e, field: e.field.replace(/^customFields/, "fields_attributes") })));
      }
      // Validate the text first, so a refused profile leaves no stored file behind.
      const checked = profileSchema.safeParse(profile);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new DomainError("validation_failed", 422, issue.message, String(issue.path[0]));
      }
      if (p.avatar) profile.avatarUrl = await saveImageUpload(sql, config.dataDir, viewer.accountId, "avatar", new Uint8Array(await p.avatar.arrayBuffer()), { ffmpegPath: config.ffmpegPath });
      if (p.header) profile.headerUrl = await saveImageUpload(sql, config.dataDir, viewer.accountId, "header", new Uint8Array(await p.header.arrayBuffer()), { ffmpegPath: config.ffmpegPath });
      await updateProfile(sql, viewer.accountId, profile); // also queues Update(Person) for remote followers
      if (p.source) {
        await setPostingDefaults(sql, viewer.accountId, {
          visibility: fromApiVisibility(p.source.privacy) as DefaultVisibility | undefined,
          language: p.source.language === "" ? null : p.source.language,
        });
      }
      if (customFields) await updateLocalProfile(sql, viewer.accountId, { customFields });
      const user = await findLocalUserById(sql, viewer.accountId);
      if (!user) throw notFound();
      return c.json(await serializeCredentialAccount(sql, origin, user));
    });

  api.get("/api/v1/accounts/relationships", tokenRequired(deps), scopeRequired(["read:follows", "follow"]), async (c) => {
    const viewer = viewerOf(c);
    const { id } = parse(relationshipsSchema, queryParams(c));
    // Unknown ids are left out, as Mastodon does.
    const known = (await Promise.all(id.map((i) => findAccountById(sql, i)))).filter((a) => a != null).map((a) => a.id);
    return c.json((await relationships(sql, viewer.accountId, known)).map(relationshipEntity));
  });

  api.get("/api/v1/accounts/lookup", ...readAccounts, async (c) => {
    const { acct } = parse(lookupSchema, queryParams(c));
    const m = /^@?([^@\s]+)(?:@([^@\s/]+))?$/.exec(acct);
    if (!m) throw notFound();
    const [, username, host] = m;
    let account: Account | null;
    if (host == null || host.toLowerCase() === localHost) account = await findAccountByHandle(sql, username, null);
    // Only an authenticated viewer makes this instance fetch from elsewhere (no anonymous outbound requests).
    else if (c.get("viewer")) account = await resolveHandle(deps.context(), `${username}@${host}`);
    else account = await findAccountByHandle(sql, username, host);
    if (!account) throw notFound();
    return c.json(await serializeAccount(sql, origin, account, { scope: scopeOf(c) }));
  });

  api.get("/api/v1/accounts/:id{[0-9]+}", ...readAccounts, async (c) => {
    return c.json(await serializeAccount(sql, origin, await accountParam(c), { scope: scopeOf(c) }));
  });

  api.post("/api/v1/accounts/:id{[0-9]+}/follow", ...writeFollows, async (c) => {
    const viewer = viewerOf(c);
    parse(followSchema, await bodyParams(c)); // reblogs / notify / languages: validated, not stored yet
    const target = await accountParam(c);
    await follow(sql, origin, viewer.accountId, target.id);
    return c.json(await relationshipTo(viewer.accountId, target.id));
  });

  api.post("/api/v1/accounts/:id{[0-9]+}/unfollow", ...writeFollows, async (c) => {
    const viewer = viewerOf(c);
    const target = await accountParam(c);
    await unfollow(sql, viewer.accountId, target.id);
    return c.json(await relationshipTo(viewer.accountId, target.id));
  });

  for (const [path, list] of [["followers", listFollowers], ["following", listFollowing]] as const) {
    api.get(`/api/v1/accounts/:id{[0-9]+}/${path}`, ...readAccounts, async (c) => {
      const account = await accountParam(c);
      const page = parse(ACCOUNTS_PAGE, queryParams(c));
      const result = await list(sql, account.id, { limit: page.limit, maxId: page.max_id, minId: page.min_id });
      const items = pageItems(c, origin, page, result.items, (i) => i.followId);
      return c.json(await serializeAccounts(sql, origin, items, { scope: scopeOf(c) }));
    });
  }
}
