// GET /api/v1/instance and /api/v2/instance: what clients read before anything else (version, limits, contact).
// Public, like Mastodon's: clients call them before they have a token.
import type { Hono } from "hono";
import { LIMITS } from "../../domain/accounts/accounts.ts";
import { MAX_PINS } from "../../domain/posts/interactions.ts";
import { IMAGE_TYPES, MAX_IMAGE_BYTES } from "../../domain/media/media.ts";
import { contactAccount, instanceStats } from "../../domain/accounts/stats.ts";
import { vapidPublicKey } from "../../domain/push/vapid.ts";
import type { RouteDeps } from "../deps.ts";
import { VERSION as RUCHE_VERSION } from "../../../federation/builder.ts";
import type { ApiEnv } from "./auth.ts";
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

const statuses = { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 };
const mediaAttachments = {
  supported_mime_types: [...IMAGE_TYPES],
  image_size_limit: MAX_IMAGE_BYTES,
  image_matrix_limit: 33_177_600,
  video_size_limit: 0,
  video_frame_rate_limit: 0,
  video_matrix_limit: 0,
};
const polls = { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 };

export function registerInstance(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { config, sql } = deps;
  const host = new URL(config.origin).host;
  const streaming = config.origin.replace(/^http/, "ws");
  const thumbnail = absoluteUrl(config.origin, DEFAULT_HEADER);

  async function contact() {
    const admin = await contactAccount(sql);
    return admin ? await serializeAccount(sql, config.origin, admin) : null;
  }

  api.get("/api/v1/instance", async (c) => {
    const [stats, account, vapidKey] = await Promise.all([instanceStats(sql), contact(), vapidPublicKey(sql)]);
    return c.json({
      uri: host,
      title: config.instanceName,
      short_description: "",
      description: "",
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
        accounts: { max_featured_tags: 0, max_pinned_statuses: MAX_PINS },
        statuses,
        media_attachments: mediaAttachments,
        polls,
        // Not in Mastodon's v1 entity (its apps read the key from /api/v1/apps or v2): harmless for the others.
        vapid: { public_key: vapidKey },
      },
      contact_account: account,
      rules: [],
    });
  });

  api.get("/api/v2/instance", async (c) => {
    const [stats, account, vapidKey] = await Promise.all([instanceStats(sql), contact(), vapidPublicKey(sql)]);
    return c.json({
      domain: host,
      title: config.instanceName,
      version: VERSION,
      // No `source_url`: there is no public repository to point at yet (NodeInfo leaves out `homepage` alike).
      description: "",
      usage: { users: { active_month: stats.activeMonth } },
      thumbnail: { url: thumbnail, blurhash: null, versions: {} },
      icon: [],
      languages: LANGUAGES,
      configuration: {
        // The about page shows the instance's name, people count and siblings (server/routes/pages/home.ts).
        urls: { streaming, status: null, about: `${config.origin}/about`, privacy_policy: null, terms_of_service: null },
        // Web Push (/api/v1/push/subscription): apps subscribe with this key (Elk, Ice Cubes read it here).
        vapid: { public_key: vapidKey },
        accounts: {
          max_featured_tags: 0,
          max_pinned_statuses: MAX_PINS,
          max_display_name_length: LIMITS.displayName,
          max_note_length: LIMITS.bio,
          max_profile_fields: 0,
          profile_field_name_limit: 0,
          profile_field_value_limit: 0,
          max_avatar_description_length: 0,
          max_header_description_length: 0,
        },
        statuses,
        media_attachments: { ...mediaAttachments, description_limit: 1500 },
        polls,
        translation: { enabled: false },
        limited_federation: config.federation === "siblings",
      },
      registrations: { enabled: false, approval_required: false, reason_required: false, message: null, min_age: null, url: null },
      contact: { email: "", account },
      rules: [],
    });
  });
}
