// An event seen from a Mastodon app (issue #12 point 5): Mastodon shows remote events as plain posts with no RSVP
// (mastodon#12166, #20407), so an event's status carries a preview card — its title, its date in its own zone, its
// place, a link to its page, where one answers — in the post's language (French by default).
import type { EventView } from "../../domain/events/event-views.ts";

export function eventCard(e: EventView, language: string | null, providerName: string) {
  const locale = language === "en" ? "en" : "fr";
  const date = new Intl.DateTimeFormat(locale, {
    timeZone: e.timezone, weekday: "long", day: "numeric", month: "long", year: "numeric",
    ...(e.allDay ? {} : { hour: "2-digit", minute: "2-digit", timeZoneName: "short" }),
  }).format(e.startsAt);
  const place = [e.place?.name, e.place?.address].filter(Boolean).join(", ") || (e.onlineUrl ? e.onlineUrl : "");
  const url = e.url ?? e.iri;
  return {
    url, title: e.title, description: [date, place].filter(Boolean).join(" · "), type: "link",
    author_name: "", author_url: "", provider_name: providerName, provider_url: new URL(url).origin,
    html: "", width: 0, height: 0, image: null, image_description: "", embed_url: "", blurhash: null, language, published_at: null,
    authors: [],
  };
}
