// GET /api/v1/instance and /api/v2/instance: what clients read before anything else (version, limits, contact).
// Public, like Mastodon's: clients call them before they have a token.
import type { Hono } from "hono";
import { LIMITS } from "../../domain/accounts/accounts.ts";
import { MAX_PINS } from "../../domain/posts/interactions.ts";
import { IMAGE_TYPES, MAX_IMAGE_PIXELS } from "../../domain/media/media.ts";
import { POST_LIMITS } from "../../domain/posts/posts.ts";
import { MAX_ATTACHMENT_BYTES, MAX_DESCRIPTION } from "../../domain/posts/post-media.ts";
import { PROFILE_LIMITS } from "../../domain/profiles/profile-validation.ts";
import { type InstanceRule, listRules } from "../../domain/instance/rules.ts";
import { charterInForce } from "../../domain/charter/charter.ts";
import { POLL_LIMITS } from "../../domain/polls/polls.ts";
import { contactAccount, instanceStats } from "../../domain/accounts/stats.ts";
import { vapidPublicKey } from "../../domain/push/vapid.ts";
import { instanceDescription } from "../../domain/instance/instance-settings.ts";
import type { RouteDeps } from "../deps.ts";
import { VERSION as RUCHE_VERSION } from "../../../federation/builder.ts";
import { type ApiEnv, scopeRequired, tokenRequired } from "./auth.ts";
import { notFound } from "./errors.ts";
import { DEFAULT_HEADER, absoluteUrl, serializeAccount } from "./serializers.ts";

/**
 * The Mastodon API level we claim; clients turn features on from it, so it must not exceed what answers. Phanpy
 * (src/utils/supports.js) gates editing media attributes with a post (`media_attributes`) on ≥ 4.1, exclusive lists
 * on ≥ 4.2, and grouped notifications (/api/v2/notifications), notification requests and policy, link timelines
 * and fetching several statuses on ≥ 4.3; Ruche has none of the 4.1–4.3 ones but the last. What 4.0 brought and
 * clients use — /api/v2/instance, followed hashtags, status edits with history and source — is here, hence 4.0.0.
 * (`api_versions`, a 4.3 addition that Phanpy also reads for grouped notifications, is left out for the same reason.)
 */
export const MASTODON_VERSION = "4.0.0";
export const VERSION = `${MASTODON_VERSION} (compatible; Ruche ${RUCHE_VERSION})`;
const LANGUAGES = ["fr", "en"];

/**
 * The limits apps enforce before sending, read from the code that enforces them, so that the two cannot disagree:
 * post text (counted as Mastodon counts it, a link as 23 characters: postLength) and attachments (posts.ts),
 * attachment size, pixels and description (post-media.ts, media.ts), profile fields (profile-validation.ts).
 */
const statuses = { max_characters: POST_LIMITS.text, max_media_attachments: POST_LIMITS.media, characters_reserved_per_url: POST_LIMITS.urlLength };
const mediaAttachments = {
  supported_mime_types: [...IMAGE_TYPES],
  image_size_limit: MAX_ATTACHMENT_BYTES,
  image_matrix_limit: MAX_IMAGE_PIXELS,
  // No video or audio attachments (the videos issue brings them): zero, which apps read as "not accepted".
  video_size_limit: 0,
  video_frame_rate_limit: 0,
  video_matrix_limit: 0,
};
/** The polls' limits, as the vote rules enforce them (server/domain/polls/polls.ts): 20 options of 200 characters, 5 min to 90 days. */
const polls = { ...POLL_LIMITS };
const accounts = { max_featured_tags: 0, max_pinned_statuses: MAX_PINS };

function ruleEntity(r: InstanceRule) {
  return { id: r.id, text: r.text, hint: r.hint };
}

export function registerInstance(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { config, sql } = deps;
  const host = new URL(config.origin).host;
  const streaming = config.origin.replace(/^http/, "ws");
  const thumbnail = absoluteUrl(config.origin, DEFAULT_HEADER);

  async function contact() {
    const admin = await contactAccount(sql);
    return admin ? await serializeAccount(sql, config.origin, admin) : null;
  }

  const rules = async () => (await listRules(sql)).map(ruleEntity);

  api.get("/api/v1/instance", async (c) => {
    const [stats, account, rulesList, vapidKey, description] = await Promise.all([instanceStats(sql), contact(), rules(), vapidPublicKey(sql), instanceDescription(sql)]);
    return c.json({
      uri: host,
      title: config.instanceName,
      short_description: description,
      description,
      email: "",
      version: VERSION,
      urls: { streaming_api: streaming },
      stats: { user_count: stats.users, status_count: stats.localPosts, domain_count: stats.domains },
      thumbnail,
      languages: LANGUAGES,
      registrations: false,
      approval_required: false,
      invites_enabled: false,
      configuration: {
        accounts,
        statuses,
        media_attachments: mediaAttachments,
        polls,
        // Not in Mastodon's v1 entity (its apps read the key from /api/v1/apps or v2): harmless for the others.
        vapid: { public_key: vapidKey },
      },
      contact_account: account,
      rules: rulesList,
    });
  });

  api.get("/api/v2/instance", async (c) => {
    const [stats, account, rulesList, charter, vapidKey, description] = await Promise.all([
      instanceStats(sql), contact(), rules(), charterInForce(sql), vapidPublicKey(sql), instanceDescription(sql),
    ]);
    return c.json({
      domain: host,
      title: config.instanceName,
      version: VERSION,
      // No `source_url`: there is no public repository to point at yet (NodeInfo leaves out `homepage` alike).
      description,
      usage: { users: { active_month: stats.activeMonth } },
      thumbnail: { url: thumbnail, blurhash: null, versions: {} },
      icon: [],
      languages: LANGUAGES,
      configuration: {
        // The about page shows the instance's name, people count and siblings (server/routes/pages/home.ts).
        // The usage charter is the terms of service (issue #15): its page, once a version is in force.
        urls: {
          streaming, status: null, about: `${config.origin}/about`, privacy_policy: null,
          terms_of_service: charter.current ? `${config.origin}/charter` : null,
        },
        // Web Push (/api/v1/push/subscription): apps subscribe with this key (Elk, Ice Cubes read it here).
        vapid: { public_key: vapidKey },
        accounts: {
          ...accounts,
          max_display_name_length: LIMITS.displayName,
          max_note_length: LIMITS.bio,
          // The editable extra fields (update_credentials' fields_attributes); the structured ones are Ruche's.
          max_profile_fields: PROFILE_LIMITS.customFields,
          profile_field_name_limit: PROFILE_LIMITS.customName,
          profile_field_value_limit: PROFILE_LIMITS.customValue,
          max_avatar_description_length: 0,
          max_header_description_length: 0,
        },
        statuses,
        media_attachments: { ...mediaAttachments, description_limit: MAX_DESCRIPTION },
        polls,
        translation: { enabled: false },
        limited_federation: config.federation === "siblings",
      },
      registrations: { enabled: false, approval_required: false, reason_required: false, message: null, min_age: null, url: null },
      contact: { email: "", account },
      rules: rulesList,
    });
  });

  api.get("/api/v1/instance/rules", async (c) => c.json(await rules()));

  // Ruche has no custom emoji and no announcements (yet): empty lists, so that apps starting up carry on. Dismissing
  // or reacting to an announcement names one that cannot exist: Mastodon's answer for a missing record.
  api.get("/api/v1/custom_emojis", (c) => c.json([]));
  api.get("/api/v1/announcements", tokenRequired(deps), scopeRequired(["read"]), (c) => c.json([]));
  api.post("/api/v1/announcements/:id/dismiss", tokenRequired(deps), scopeRequired(["write:accounts"]), () => {
    throw notFound();
  });
  api.on(["PUT", "DELETE"], "/api/v1/announcements/:id/reactions/:name", tokenRequired(deps), scopeRequired(["write:favourites"]), () => {
    throw notFound();
  });

  // The servers this one federates with: its siblings (the about page lists them too). In open mode Mastodon would
  // list every known domain; the group's subsidiaries are the peers that matter to apps (and to the directory).
  api.get("/api/v1/instance/peers", (c) => {
    return c.json(deps.data.siblings.list().filter((o) => o !== config.origin).map((o) => new URL(o).host));
  });
}
