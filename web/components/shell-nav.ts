// The app's sections, in one declarative list, and the navigation drawn from it: a sidebar on a wide screen, a
// bottom bar with a "More" menu on a phone. A coming section (groups, agenda, WebTV, knowledge base,
// votes) is one more entry in SECTIONS; nothing else changes. Without JavaScript: the "More" menu is a
// <details>, and which items show where is CSS (web/static/shell.css).
import { html } from "../html.ts";
import { plural, t } from "../i18n/index.ts";
import type { Locale, MessageKey } from "../i18n/index.ts";
import { ScopeIcon, type IconName } from "./post-icons.ts";

/** The unread counts a section may show as a badge. */
export type Badges = { notifications: number; followRequests: number; messages?: number };

export type Section = {
  id: string;
  href: string;
  label: MessageKey;
  icon: IconName;
  /** Paths where this section is the current one too (besides `href` and the paths under it). */
  alsoOn?: string[];
  /** On the phone's bottom bar; the others go in its "More" menu. Keep at most four. */
  primary?: boolean;
  badge?: keyof Badges;
  /** Shown only while its badge counts something (follow requests). */
  onlyWithBadge?: boolean;
};

export const SECTIONS: readonly Section[] = [
  { id: "home", href: "/", label: "nav.home", icon: "home", alsoOn: ["/home"], primary: true },
  { id: "local", href: "/local", label: "nav.local", icon: "local", primary: true },
  { id: "group", href: "/group", label: "nav.group", icon: "internal" },
  { id: "notifications", href: "/notifications", label: "notifications.title", icon: "bell", primary: true, badge: "notifications" },
  { id: "messages", href: "/messages", label: "messages.nav", icon: "message", badge: "messages" },
  { id: "directory", href: "/directory", label: "directory.nav", icon: "people", primary: true },
  { id: "groups", href: "/groups", label: "nav.groups", icon: "group" },
  { id: "events", href: "/events", label: "nav.agenda", icon: "calendar" },
  { id: "knowledge", href: "/knowledge", label: "knowledge.nav", icon: "book" },
  { id: "bookmarks", href: "/bookmarks", label: "nav.bookmarks", icon: "bookmark" },
  { id: "favourites", href: "/favourites", label: "nav.favourites", icon: "like" },
  { id: "lists", href: "/lists", label: "lists.nav", icon: "list" },
  { id: "follow-requests", href: "/follow-requests", label: "nav.followRequests", icon: "follow", badge: "followRequests", onlyWithBadge: true },
];

const BADGE_TEXT: Record<keyof Badges, "notifications.unread" | "nav.followRequestsPending" | "messages.unreadCount"> = {
  notifications: "notifications.unread",
  followRequests: "nav.followRequestsPending",
  messages: "messages.unreadCount",
};

/** Whether `path` belongs to the section. */
export function isCurrent(section: Section, path: string | undefined): boolean {
  if (!path) return false;
  if (path === section.href || section.alsoOn?.includes(path)) return true;
  return section.href !== "/" && path.startsWith(`${section.href}/`);
}

/** The sections a person sees now: those waiting for a count are left out until there is one. */
export function visibleSections(sections: readonly Section[], badges: Badges): Section[] {
  return sections.filter((s) => !s.onlyWithBadge || (s.badge !== undefined && (badges[s.badge] ?? 0) > 0));
}

export function Badge({ locale, kind, count }: { locale: Locale; kind: keyof Badges; count: number }) {
  if (count <= 0) return null;
  const shown = count > 99 ? "99+" : String(count);
  // The space keeps the link's accessible name readable ("Notifications (3 unread)"); a flex box drops it visually.
  return html`<span class="nav-count"> <span aria-hidden="true">${shown}</span><span class="visually-hidden">(${plural(locale, BADGE_TEXT[kind], count)})</span></span>`;
}

function Item({ locale, section, path, badges, where }: { locale: Locale; section: Section; path?: string; badges: Badges; where: "main" | "more" }) {
  // On a phone, the main list keeps only the primary sections; the "More" menu holds the rest.
  const cls = where === "main" && !section.primary ? "nav-item nav-secondary" : "nav-item";
  return html`<li class=${cls}>
    <a href=${section.href} aria-current=${isCurrent(section, path) ? "page" : undefined} data-section=${section.id}>
      <${ScopeIcon} scope=${section.icon} />
      <span class="nav-label">${t(locale, section.label as never)}</span>
      ${section.badge ? html`<${Badge} locale=${locale} kind=${section.badge} count=${badges[section.badge] ?? 0} />` : null}
    </a>
  </li>`;
}

export type ShellNavProps = { locale: Locale; path?: string; badges: Badges; sections?: readonly Section[] };

export function ShellNav({ locale, path, badges, sections = SECTIONS }: ShellNavProps) {
  const shown = visibleSections(sections, badges);
  const secondary = shown.filter((s) => !s.primary);
  // The "More" button carries a dot when something in it is unread, and is current when one of its pages is.
  const moreUnread = secondary.some((s) => s.badge !== undefined && (badges[s.badge] ?? 0) > 0);
  const moreCurrent = secondary.some((s) => isCurrent(s, path));
  return html`<nav class="site-nav" aria-label=${t(locale, "nav.label")}>
    <ul class="nav-list">
      ${shown.map((s) => html`<${Item} key=${s.id} locale=${locale} section=${s} path=${path} badges=${badges} where="main" />`)}
      ${secondary.length > 0
        ? html`<li class="nav-item nav-more-item">
            <details class="nav-more" data-menu>
              <summary class=${moreCurrent ? "nav-more-button is-current" : "nav-more-button"}>
                <${ScopeIcon} scope="menu" />
                <span class="nav-label">${t(locale, "nav.more")}</span>
                ${moreUnread ? html`<span class="nav-dot"><span class="visually-hidden">${t(locale, "nav.moreUnread")}</span></span>` : null}
              </summary>
              <ul class="nav-more-list">
                ${secondary.map((s) => html`<${Item} key=${s.id} locale=${locale} section=${s} path=${path} badges=${badges} where="more" />`)}
              </ul>
            </details>
          </li>`
        : null}
    </ul>
  </nav>`;
}
