// Events and the agenda (issue #12 point 6): the agenda as a list by day, an event's page (when in the reader's zone
// and language with the event's own time beside it when the zones differ, place, online link, add-to-calendar,
// attendees, an answer form that works without JavaScript), and the creation form. All server-rendered.
import { h } from "preact";
import { html } from "../html.ts";
import { t, type Locale, type MessageKey } from "../i18n/index.ts";
import { CsrfField, describedBy } from "./forms.ts";
import { chrome, Layout, type PageChrome } from "./layout.ts";
import { useTimeZone } from "./local-time.ts";

export type Participation = "going" | "maybe" | "not_going" | "pending" | "waitlisted" | "rejected";

export interface EventSummary {
  id: string;
  /** This instance's page of the event. */
  href: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  allDay: boolean;
  placeName: string | null;
  status: "scheduled" | "cancelled" | "postponed";
}

export interface EventDetails extends EventSummary {
  /** Already rendered and sanitised (server/domain/markdown.ts, or a remote post's sanitised HTML). */
  descriptionHtml: string;
  placeAddress: string | null;
  onlineUrl: string | null;
  externalUrl: string | null;
  capacity: number | null;
  joinMode: "free" | "restricted" | "invite" | "external";
  rrule: string | null;
  participantsCount: number;
  waitlistCount: number;
  organiser: { name: string; handle: string; href: string };
  attendees: { id: string; name: string; handle: string; href: string; status: Participation }[] | null;
  /** The reader organises this (local) event: pending requests get Accept and Decline buttons. */
  organiserView?: boolean;
  icsHref: string;
  over: boolean;
}

function fmt(locale: Locale, date: Date, timeZone: string, opts: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale, { timeZone, ...opts }).format(date);
}

/** "lundi 12 octobre 2026, 10:00 – 11:00" in the reader's zone (the days too, when it spans several). */
export function whenText(locale: Locale, e: Pick<EventSummary, "startsAt" | "endsAt" | "allDay">, zone: string): string {
  const day = (d: Date) => fmt(locale, d, zone, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const time = (d: Date) => fmt(locale, d, zone, { hour: "2-digit", minute: "2-digit" });
  if (e.allDay) {
    const last = new Date(Math.max(e.startsAt.getTime(), e.endsAt.getTime() - 1));
    return day(e.startsAt) === day(last) ? day(e.startsAt) : `${day(e.startsAt)} – ${day(last)}`;
  }
  return day(e.startsAt) === day(e.endsAt) ? `${day(e.startsAt)}, ${time(e.startsAt)} – ${time(e.endsAt)}`
    : `${day(e.startsAt)}, ${time(e.startsAt)} – ${day(e.endsAt)}, ${time(e.endsAt)}`;
}

function When({ locale, event }: { locale: Locale; event: EventSummary }) {
  const zone = useTimeZone();
  const sameOffset = fmt("en", event.startsAt, zone, { timeZoneName: "longOffset" }) === fmt("en", event.startsAt, event.timezone, { timeZoneName: "longOffset" });
  const own = fmt(locale, event.startsAt, event.timezone, { hour: "2-digit", minute: "2-digit" });
  return html`<time datetime=${event.startsAt.toISOString()}>${whenText(locale, event, zone)}</time>${!sameOffset && !event.allDay
    ? html` <span class="hint">${t(locale, "events.eventZone", { time: own, zone: event.timezone })}</span>` : null}`;
}

function StatusNotice({ locale, status, over }: { locale: Locale; status: EventSummary["status"]; over?: boolean }) {
  if (status !== "scheduled") return html`<p class="notice notice-error" role="status">${t(locale, `events.status.${status}`)}</p>`;
  return over ? html`<p class="notice" role="status">${t(locale, "events.status.over")}</p>` : null;
}

export type AgendaPageProps = PageChrome & {
  items: EventSummary[];
  mine: boolean;
  /** The private feed URL, just made (shown once). */
  feedUrl?: string;
};

export function AgendaPage(props: AgendaPageProps) {
  const { locale, csrf, items, mine, feedUrl } = props;
  const zone = useTimeZone();
  const title = t(locale, "events.title");
  const dayOf = (d: Date) => fmt(locale, d, zone, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const days: { label: string; iso: string; items: EventSummary[] }[] = [];
  for (const e of items) {
    const label = dayOf(e.startsAt);
    if (days.at(-1)?.label !== label) days.push({ label, iso: e.startsAt.toISOString().slice(0, 10), items: [] });
    days.at(-1)!.items.push(e);
  }
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <p>${t(locale, "events.intro")}</p>
      <div class="form-actions">
        <a class="button button-primary" href="/events/new">${t(locale, "events.create")}</a>
      </div>
      <nav aria-label=${t(locale, "events.filter.label")} class="tabs">
        <a href="/events" aria-current=${mine ? undefined : "page"}>${t(locale, "events.filter.all")}</a>
        ${" · "}
        <a href="/events?mine=1" aria-current=${mine ? "page" : undefined}>${t(locale, "events.filter.mine")}</a>
        ${" · "}
        <a href=${`/events?view=month${mine ? "&mine=1" : ""}`}>${t(locale, "events.month.view")}</a>
      </nav>
      ${days.length === 0 ? html`<p class="empty-state">${t(locale, "events.empty")}</p>` : days.map((d) => html`<section class="agenda-day" aria-labelledby=${`day-${d.iso}`}>
        <h2 id=${`day-${d.iso}`}>${d.label}</h2>
        <ul class="agenda-list">${d.items.map((e) => html`<li>
          <a href=${e.href}><strong>${e.title}</strong></a>
          <div class="hint">${e.allDay ? t(locale, "events.field.allDay") : `${fmt(locale, e.startsAt, zone, { hour: "2-digit", minute: "2-digit" })} – ${fmt(locale, e.endsAt, zone, { hour: "2-digit", minute: "2-digit" })}`}${e.placeName ? ` · ${e.placeName}` : ""}${e.status !== "scheduled" ? ` · ${t(locale, `events.status.${e.status}`)}` : ""}</div>
        </li>`)}</ul>
      </section>`)}
    </section>
    <section class="panel panel-form" aria-labelledby="feed-title">
      <h2 id="feed-title">${t(locale, "events.feed.title")}</h2>
      <p>${t(locale, "events.feed.intro")}</p>
      ${feedUrl ? html`<div class="field">
        <label for="feed-url">${t(locale, "events.feed.url")}</label>
        <input id="feed-url" type="text" readonly value=${feedUrl} />
      </div>` : null}
      <form method="post" action="/events/feed" class="inline-form">
        <${CsrfField} token=${csrf} />
        <button type="submit" class="button button-secondary">${t(locale, "events.feed.get")}</button>
      </form>
    </section>`,
  });
}

export type EventPageProps = PageChrome & { event: EventDetails; participation: Participation | null; error?: string };

export function EventPage(props: EventPageProps) {
  const { locale, csrf, event: e, participation, error } = props;
  const open = e.status !== "cancelled" && !e.over && e.joinMode !== "external";
  return h(Layout, {
    ...chrome(props),
    title: e.title,
    children: html`<article class="panel event" aria-labelledby="page-title">
      <h1 id="page-title">${e.title}</h1>
      <${StatusNotice} locale=${locale} status=${e.status} over=${e.over} />
      <dl class="event-facts">
        <dt>${t(locale, "events.when")}</dt>
        <dd><${When} locale=${locale} event=${e} />${e.rrule ? html`<br /><span class="hint">${t(locale, "events.recurring", { rule: e.rrule })}</span>` : null}</dd>
        ${e.placeName || e.placeAddress ? html`<dt>${t(locale, "events.where")}</dt>
          <dd>${e.placeName}${e.placeName && e.placeAddress ? html`<br />` : null}${e.placeAddress}</dd>` : null}
        ${e.onlineUrl ? html`<dt>${t(locale, "events.online")}</dt><dd><a href=${e.onlineUrl} rel="nofollow noopener noreferrer">${e.onlineUrl}</a></dd>` : null}
        <dt>${t(locale, "events.organiser")}</dt>
        <dd><a href=${e.organiser.href}>${e.organiser.name}</a> <span class="hint">${e.organiser.handle}</span></dd>
        <dt>${t(locale, "events.attendees")}</dt>
        <dd>${t(locale, "events.going", { count: e.participantsCount })}${e.waitlistCount > 0 ? ` · ${t(locale, "events.waitlist", { count: e.waitlistCount })}` : ""}${e.capacity != null
          ? ` · ${e.participantsCount >= e.capacity ? t(locale, "events.full") : t(locale, "events.placesLeft", { remaining: e.capacity - e.participantsCount, capacity: e.capacity })}` : ""}</dd>
      </dl>
      <p class="event-actions"><a class="button button-secondary" href=${e.icsHref} download>${t(locale, "events.addToCalendar")}</a>
        ${e.organiserView ? html` <a class="button button-secondary" href=${`/events/${e.id}/edit`}>${t(locale, "events.edit")}</a>` : null}</p>
      <div class="prose" dangerouslySetInnerHTML=${{ __html: e.descriptionHtml }}></div>
    </article>
    <section class="panel panel-form" aria-labelledby="rsvp-title">
      <h2 id="rsvp-title">${t(locale, "events.rsvp.legend")}</h2>
      ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : null}
      ${participation ? html`<p class="notice" role="status">${t(locale, `events.you.${participation}` as "events.you.going")}</p>` : null}
      ${e.joinMode === "external" && e.externalUrl ? html`<p><a class="button button-primary" href=${e.externalUrl} rel="nofollow noopener noreferrer">${t(locale, "events.external")}</a></p>` : null}
      ${open && participation !== "rejected" ? html`<form method="post" action=${`/events/${e.id}/participation`} class="stack-form">
        <${CsrfField} token=${csrf} />
        <fieldset class="choice-list">
          <legend class="visually-hidden">${t(locale, "events.rsvp.legend")}</legend>
          ${(["going", "maybe", "not_going"] as const).map((s) => html`<div class="field-check" key=${s}>
            <input type="radio" id=${`rsvp-${s}`} name="status" value=${s} required
              checked=${participation === s || ((participation === "pending" || participation === "waitlisted") && s === "going")} />
            <label for=${`rsvp-${s}`}>${t(locale, `events.rsvp.${s}`)}</label>
          </div>`)}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, "events.rsvp.submit")}</button>
          ${participation ? html`<button type="submit" name="status" value="leave" formnovalidate class="button button-secondary">${t(locale, "events.rsvp.leave")}</button>` : null}
        </div>
      </form>` : null}
    </section>
    ${e.attendees ? html`<section class="panel" aria-labelledby="attendees-title">
      <h2 id="attendees-title">${t(locale, "events.attendees")}</h2>
      ${e.attendees.length === 0 ? html`<p class="empty-state">${t(locale, "events.attendees.none")}</p>` : html`<ul class="account-list">
        ${e.attendees.map((a) => html`<li><a href=${a.href}>${a.name}</a> <span class="hint">${a.handle} · ${t(locale, `events.attendee.${a.status}`)}</span>
          ${e.organiserView && a.status === "pending" ? html`<form method="post" action=${`/events/${e.id}/participants/${a.id}`} class="inline-form">
            <${CsrfField} token=${csrf} />
            <button type="submit" name="verdict" value="accept" class="button button-primary button-small"
              aria-label=${t(locale, "events.decide.acceptWho", { name: a.name })}>${t(locale, "events.decide.accept")}</button>
            <button type="submit" name="verdict" value="reject" class="button button-secondary button-small"
              aria-label=${t(locale, "events.decide.rejectWho", { name: a.name })}>${t(locale, "events.decide.reject")}</button>
          </form>` : null}</li>`)}
      </ul>`}
    </section>` : null}`,
  });
}

/** The form's labels and hints (none takes a parameter). */
type FieldKey = Extract<MessageKey, `events.field.${string}`>;

export interface EventFormValues {
  title: string; description: string; start: string; end: string; timezone: string; allDay: boolean; placeName: string; placeAddress: string;
  onlineUrl: string; capacity: string; joinMode: "free" | "restricted" | "invite"; visibility: "internal" | "local" | "public"; rrule: string;
}

export type EventFormPageProps = PageChrome & {
  values: EventFormValues; zones: string[]; error?: { field: string | null; message: string };
  /** Editing this event (its id): the audience stays the one it was created with. */
  edit?: string;
};

export function EventFormPage(props: EventFormPageProps) {
  const { locale, csrf, values: v, zones, error, edit } = props;
  const title = t(locale, edit ? "events.edit.title" : "events.create.title");
  const bad = (field: string) => error?.field === field;
  const errId = (field: string) => (bad(field) ? "event-error" : undefined);
  const text = (id: string, name: keyof EventFormValues, label: FieldKey, opts: { type?: string; required?: boolean; hint?: FieldKey; max?: number; field?: string } = {}) => html`<div class=${bad(opts.field ?? name) ? "field field-invalid" : "field"}>
      <label for=${id}>${t(locale, label)}</label>
      ${opts.hint ? html`<p id=${`${id}-hint`} class="hint">${t(locale, opts.hint)}</p>` : null}
      <input id=${id} name=${name} type=${opts.type ?? "text"} required=${opts.required ?? false} maxlength=${opts.type === "number" ? undefined : opts.max ?? 200}
        min=${opts.type === "number" ? "1" : undefined} value=${String(v[name])}
        aria-invalid=${bad(opts.field ?? name) ? "true" : undefined} aria-describedby=${describedBy(opts.hint && `${id}-hint`, errId(opts.field ?? name))} />
    </div>`;
  const radios = (name: string, legend: FieldKey, options: [string, MessageKey & `events.${string}`][], checked: string) => html`<fieldset class="choice-list">
      <legend>${t(locale, legend)}</legend>
      ${options.map(([value, label]) => html`<div class="field-check" key=${value}>
        <input type="radio" id=${`${name}-${value}`} name=${name} value=${value} checked=${checked === value} />
        <label for=${`${name}-${value}`}>${t(locale, label as "events.joinMode.free")}</label>
      </div>`)}
    </fieldset>`;
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel panel-form" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      ${error ? html`<p class="notice notice-error" role="alert" id="event-error">${error.message}</p>` : null}
      ${edit ? html`<p class="hint">${t(locale, "events.edit.intro")}</p>` : null}
      <form method="post" action=${edit ? `/events/${edit}/edit` : "/events"} class="stack-form">
        <${CsrfField} token=${csrf} />
        ${text("event-title", "title", "events.field.title", { required: true })}
        <div class="field">
          <label for="event-description">${t(locale, "events.field.description")}</label>
          <p id="event-description-hint" class="hint">${t(locale, "events.field.description.hint")}</p>
          <textarea id="event-description" name="description" rows="5" maxlength="10000" aria-describedby="event-description-hint">${v.description}</textarea>
        </div>
        ${text("event-start", "start", "events.field.start", { type: "datetime-local", required: true, field: "start_at" })}
        ${text("event-end", "end", "events.field.end", { type: "datetime-local", required: true, field: "end_at" })}
        <div class=${bad("timezone") ? "field field-invalid" : "field"}>
          <label for="event-timezone">${t(locale, "events.field.timezone")}</label>
          <p id="event-timezone-hint" class="hint">${t(locale, "events.field.timezone.hint")}</p>
          <select id="event-timezone" name="timezone" aria-describedby=${describedBy("event-timezone-hint", errId("timezone"))}>
            ${zones.map((z) => html`<option value=${z} selected=${z === v.timezone}>${z}</option>`)}
          </select>
        </div>
        <div class="field-check">
          <input type="checkbox" id="event-all-day" name="allDay" value="1" checked=${v.allDay} />
          <label for="event-all-day">${t(locale, "events.field.allDay")}</label>
        </div>
        ${text("event-place", "placeName", "events.field.placeName")}
        ${text("event-address", "placeAddress", "events.field.placeAddress", { max: 500 })}
        ${text("event-online", "onlineUrl", "events.field.onlineUrl", { type: "url", hint: "events.field.onlineUrl.hint", max: 2000, field: "online_url" })}
        ${text("event-capacity", "capacity", "events.field.capacity", { type: "number", hint: "events.field.capacity.hint" })}
        ${radios("joinMode", "events.field.joinMode", (["free", "restricted", "invite"] as const).map((m) => [m, `events.joinMode.${m}` as const]), v.joinMode)}
        ${edit ? null : radios("visibility", "events.field.visibility", (["internal", "local", "public"] as const).map((s) => [s, `events.visibility.${s}` as const]), v.visibility)}
        ${text("event-rrule", "rrule", "events.field.rrule", { hint: "events.field.rrule.hint", max: 500 })}
        <div class="form-actions">
          <button type="submit" class="button button-primary">${t(locale, edit ? "events.edit.submit" : "events.create.submit")}</button>
        </div>
      </form>
    </section>`,
  });
}

export interface MonthDay { date: string; day: number; inMonth: boolean; items: EventSummary[] }

export type MonthPageProps = PageChrome & { month: string; weeks: MonthDay[][]; prev: string; next: string; mine: boolean };

/** The month view: a table of weeks (Monday first), each day with its events; previous and next months by link. */
export function MonthPage(props: MonthPageProps) {
  const { locale, month, weeks, prev, next, mine } = props;
  const [y, m] = month.split("-").map(Number);
  const title = `${t(locale, "events.title")} — ${fmt(locale, new Date(Date.UTC(y, m - 1, 15)), "UTC", { month: "long", year: "numeric" })}`;
  const weekdays = Array.from({ length: 7 }, (_, i) => fmt(locale, new Date(Date.UTC(2024, 0, 1 + i)), "UTC", { weekday: "short" }));
  const q = mine ? "&mine=1" : "";
  return h(Layout, {
    ...chrome(props),
    title,
    children: html`<section class="panel" aria-labelledby="page-title">
      <h1 id="page-title">${title}</h1>
      <nav aria-label=${t(locale, "events.month.nav")} class="tabs">
        <a href=${`/events?view=month&month=${prev}${q}`}>${t(locale, "events.month.prev")}</a>${" · "}
        <a href=${`/events?view=month&month=${next}${q}`}>${t(locale, "events.month.next")}</a>${" · "}
        <a href=${`/events${mine ? "?mine=1" : ""}`}>${t(locale, "events.month.list")}</a>
      </nav>
      <table class="month-grid">
        <thead><tr>${weekdays.map((d) => html`<th scope="col">${d}</th>`)}</tr></thead>
        <tbody>${weeks.map((week) => html`<tr>${week.map((d) => html`<td class=${d.inMonth ? "" : "month-other"}>
          <span class="month-day">${d.day}</span>
          ${d.items.length > 0 ? html`<ul>${d.items.map((e) => html`<li><a href=${e.href}>${e.title}</a></li>`)}</ul>` : null}
        </td>`)}</tr>`)}</tbody>
      </table>
    </section>`,
  });
}
