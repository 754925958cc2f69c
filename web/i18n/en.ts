// English catalog. It is the reference: its keys make the `MessageKey` type, so the French catalog (and any
// later one) must have exactly these keys. `{name}` marks a parameter; keys ending in `.one` / `.other`
// are plural forms chosen by `plural()`.
import { enAccounts } from "./en-accounts.ts";
import { enCharter } from "./en-charter.ts";
import { enQuiet } from "./en-quiet.ts";
import { enModeration } from "./en-moderation.ts";
import { enPrivacy } from "./en-privacy.ts";
import { enAdmin } from "./en-admin.ts";
import { enAnalytics } from "./en-analytics.ts";
import { enEvents } from "./en-events.ts";
import { enMessages } from "./en-messages.ts";
import { enOAuth } from "./en-oauth.ts";
import { enPosts } from "./en-posts.ts";
import { enPolls } from "./en-polls.ts";
import { enProfiles } from "./en-profiles.ts";
import { enShell } from "./en-shell.ts";
import { enFilters } from "./en-filters.ts";
import { enGroups } from "./en-groups.ts";
import { enVideos } from "./en-videos.ts";
import { enKnowledge } from "./en-knowledge.ts";

export const en = {
  // Feature catalogs live in their own files so features can grow without touching this one.
  ...enProfiles,
  ...enPosts,
  ...enPolls,
  ...enAccounts,
  ...enCharter,
  ...enQuiet,
  ...enModeration,
  ...enPrivacy,
  ...enAdmin,
  ...enAnalytics,
  ...enEvents,
  ...enShell,
  ...enOAuth,
  ...enFilters,
  ...enGroups,
  ...enKnowledge,
  ...enMessages,
  ...enVideos,
  "app.name": "Ruche",

  "layout.skipToContent": "Skip to main content",
  "layout.footer": "Ruche — a federated enterprise social network, speaking ActivityPub.",
  "layout.signedInAs": "Signed in as {name}",
  "layout.adminBadge": "Admin",

  "nav.label": "Main navigation",
  "nav.home": "Home",
  "nav.profile": "Profile",
  "nav.followRequests": "Follow requests",
  "nav.editProfile": "Edit profile",
  "nav.language": "Language",
  "nav.logout": "Log out",
  "nav.login": "Log in",

  "language.switchLabel": "Change language",
  "language.name.fr": "Français",
  "language.name.en": "English",
  "language.title": "Language",
  "language.intro": "Choose the language of the interface. It is saved with your account.",
  "language.legend": "Interface language",
  "language.submit": "Save",
  "timeZone.legend": "Time zone",
  "timeZone.intro": "Times are shown in this time zone. By default, your browser's.",
  "timeZone.unset": "My browser's (UTC until then)",
  "timeZone.submit": "Save the time zone",
  "timeZone.invalid": "Unknown time zone: pick one from the list.",

  "login.title": "Log in",
  "login.intro": "Use the account your company gave you.",
  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Log in",
  "login.invalid": "Wrong username or password.",

  "home.title": "Home",
  "home.welcome": "Welcome to {name}",
  "home.intro":
    "Ruche is your company's own social network: follow your colleagues, share news and pictures, and find who knows what in the directory.",
  "home.federation":
    "Each subsidiary of the group has its own Ruche, linked to the other subsidiaries', so you can follow a colleague in another subsidiary as easily as the one at the next desk.",
  "home.userCount.one": "{count} account in this subsidiary",
  "home.userCount.other": "{count} accounts in this subsidiary",
  "home.siblings.title": "The other subsidiaries",
  "home.siblings.intro": "You can follow colleagues in these subsidiaries just like those in yours.",
  "home.siblings.empty": "This subsidiary is not linked to any other yet.",
  "home.signedOut": "Log in to follow your colleagues and see their news.",

  "search.title": "Find a colleague",
  "search.label": "Username or address",
  "search.hint": "Type a username, or a full address such as {example}.",
  "search.exampleUser": "alex",
  "search.exampleHost": "branch.example.com",
  "search.submit": "Search",
  "search.resultsFor": "Results for “{q}”",
  "search.noResults": "No account found for “{q}”.",

  "accounts.empty": "Nobody here yet.",
  "accounts.followersOf": "Followers of {name}",
  "accounts.followedBy": "Accounts followed by {name}",

  "profile.followsYou": "Follows you",
  "profile.lockedNote": "Locked account: follow requests are approved one by one.",
  "profile.followers.one": "{count} follower",
  "profile.followers.other": "{count} followers",
  "profile.following.one": "{count} following",
  "profile.following.other": "{count} following",
  "profile.stats": "Connections",
  "profile.follow": "Follow",
  "profile.requestFollow": "Request to follow",
  "profile.unfollow": "Unfollow",
  "profile.cancelRequest": "Cancel request",
  "profile.requested": "Request sent",
  "profile.edit": "Edit profile",
  "profile.loginToFollow": "Log in to follow",
  "profile.joined": "Joined {date}",
  "profile.remote": "Account hosted on {host}",
  "profile.viewOriginal": "View original profile",
  "profile.more": "More actions",
  "profile.block": "Block {name}",
  "profile.blockConfirm": "You will no longer see posts by {name}, who will no longer see yours or be able to follow you. Any follows between you end.",
  "profile.blockYes": "Block",
  "profile.unblock": "Unblock {name}",
  "profile.unblockShort": "Unblock",
  "profile.blocked": "You blocked this person.",
  "profile.followersTitle": "Followers",
  "profile.followingTitle": "Following",

  "editProfile.title": "Edit profile",
  "editProfile.displayName": "Display name",
  "editProfile.bio": "Bio",
  "editProfile.bioHint": "A few words about your job and what you can help with.",
  "editProfile.avatar": "Profile picture",
  "editProfile.avatarHint": "PNG, JPEG, WebP or GIF. Leave empty to keep the current picture.",
  "editProfile.locked": "Lock my account",
  "editProfile.lockedHint": "You will approve each follow request yourself.",
  "editProfile.maxChars": "Up to {max} characters.",
  "editProfile.submit": "Save",
  "editProfile.saved": "Your profile has been saved.",
  "editProfile.errorSummary": "Your profile was not saved. Please fix the fields marked below.",
  "editProfile.error.displayNameTooLong": "The display name must be at most {max} characters.",
  "editProfile.error.bioTooLong": "The bio must be at most {max} characters.",
  "editProfile.error.avatarType": "This image format is not supported. Use PNG, JPEG, WebP or GIF.",
  "editProfile.error.avatarTooLarge": "The image must be at most {size}.",

  "followRequests.title": "Follow requests",
  "followRequests.intro": "These people would like to follow your locked account.",
  "followRequests.empty": "No pending requests.",
  "followRequests.accept": "Accept",
  "followRequests.reject": "Reject",
  "followRequests.acceptLabel": "Accept follow request from {name}",
  "followRequests.rejectLabel": "Reject follow request from {name}",

  "error.heading": "Error {status}",
  "error.status.400": "Bad request",
  "error.status.401": "Login required",
  "error.status.403": "Access denied",
  "error.status.404": "Page not found",
  "error.status.409": "Conflict",
  "error.status.413": "Content too large",
  "error.status.422": "Invalid data",
  "error.status.429": "Too many requests",
  "error.status.500": "Server error",
  "error.backHome": "Back to home",
  "page.error.csrf": "This form expired or came from another site. Reload the page and try again.",
  "page.error.notFound": "We could not find this page.",
  "page.error.accountNotFound": "We could not find this account. Remote colleagues are found once you are logged in.",
  "page.error.remoteNotFound": "This address could not be found, or it belongs to no subsidiary of the group.",
  "page.error.generic": "Something went wrong. Please try again.",
} as const satisfies Record<string, string>;

/** The shape every catalog must have: the same keys as `en`, any text. */
export type Catalog = { readonly [K in keyof typeof en]: string };
