// Event pages (issue #12 point 6): /events (the agenda as a list, everyone's or mine), /events/new and POST /events
// (creation, validated by the domain), /events/{id}/edit (an organiser changes the details), /events/{id} (an event, local or a sibling's copy), its answer form (POST,
// no JavaScript needed), its .ics, and /events/feed (a new private calendar address, shown once). What a person
// sees is the audience rule's, as everywhere (findEvent, agenda).
import type { Context, Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import { createEvent, type EventView, findEvent, isOrganiser, isTimeZone, updateEvent } from "../../domain/events/events.ts";
import { agenda, eventItems, MAX_WINDOW_DAYS } from "../../domain/events/calendar.ts";
import { answer, decide, leave, listParticipants, participationOf } from "../../domain/events/participation.ts";
import { calendarIcs, renewFeedToken } from "../../domain/events/ics.ts";
import { loadPost } from "../../domain/posts/post-views.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { instantToZoned, zonedToInstant } from "../../domain/zoned-time.ts";
import { AgendaPage, EventFormPage, type EventFormValues, EventPage, type EventSummary, type MonthDay, MonthPage, type Participation } from "../../../web/components/events.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, requireUser } from "./session.ts";
import { summary } from "./views.ts";

const ZONES = Intl.supportedValuesOf("timeZone");
/** The zones the form offers, with the one it shows first among them (the runtime's list may leave out "UTC"). */
const zonesWith = (zone: string) => (ZONES.includes(zone) || !isTimeZone(zone) ? ZONES : [zone, ...ZONES]);
const FIELD_ERRORS = ["title", "start_at", "end_at", "timezone", "online_url", "capacity"] as const;

function summaryOf(e: EventView, start = e.startsAt, end = e.endsAt): EventSummary {
  return {
    id: e.postId, href: `/events/${e.postId}`, title: e.title, startsAt: start, endsAt: end, timezone: e.timezone, allDay: e.allDay,
    placeName: e.place?.name || e.place?.address || (e.onlineUrl ? "En ligne / Online" : null), status: e.status,
  };
}

export function registerEventPages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;

  async function showAgenda(c: Context, feedUrl?: string) {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const mine = c.req.query("mine") === "1";
    const from = new Date(Date.now() - 3_600_000);
    const items = await agenda(sql, localViewer(r.user.account.id), { from, to: new Date(from.getTime() + MAX_WINDOW_DAYS * 86_400_000), mine, limit: 300 });
    return page(c, AgendaPage, {
      ...chromeOf(c, deps), path: "/events", mine, feedUrl,
      items: items.map(({ event, occurrence }) => summaryOf(event, occurrence.startsAt, occurrence.endsAt)),
    });
  }
  app.get("/events", (c) => (c.req.query("view") === "month" ? showMonth(c) : showAgenda(c)));

  // The month view, in the reader's zone: weeks from Monday, each occurrence on the day it starts there.
  async function showMonth(c: Context) {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const zone = c.get("page").timeZone;
    const mine = c.req.query("mine") === "1";
    const asked = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(c.req.query("month") ?? "");
    const today = instantToZoned(new Date(), zone);
    const [y, m] = asked ? [Number(asked[1]), Number(asked[2])] : [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
    const iso = (yy: number, mm: number) => `${String(yy).padStart(4, "0")}-${String(mm).padStart(2, "0")}`;
    const month = iso(y, m), prev = m === 1 ? iso(y - 1, 12) : iso(y, m - 1), next = m === 12 ? iso(y + 1, 1) : iso(y, m + 1);
    const from = zonedToInstant(`${month}-01T00:00`, zone)!, to = zonedToInstant(`${next}-01T00:00`, zone)!;
    const items = await agenda(sql, localViewer(r.user.account.id), { from, to, mine, limit: 2_000 });
    const byDay = new Map<string, EventSummary[]>();
    for (const { event, occurrence } of items) {
      const day = instantToZoned(occurrence.startsAt < from ? from : occurrence.startsAt, zone).slice(0, 10);
      byDay.set(day, [...(byDay.get(day) ?? []), summaryOf(event, occurrence.startsAt, occurrence.endsAt)]);
    }
    // From the Monday on or before the 1st to the Sunday on or after the last day.
    const first = Date.UTC(y, m - 1, 1), offset = (new Date(first).getUTCDay() + 6) % 7;
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const weeks: MonthDay[][] = [];
    for (let i = -offset; i < days || (i + offset) % 7 !== 0; i++) {
      const d = new Date(first + i * 86_400_000), key = d.toISOString().slice(0, 10);
      if ((i + offset) % 7 === 0) weeks.push([]);
      weeks.at(-1)!.push({ date: key, day: d.getUTCDate(), inMonth: key.startsWith(month), items: byDay.get(key) ?? [] });
    }
    return page(c, MonthPage, { ...chromeOf(c, deps), path: "/events", month, weeks, prev, next, mine });
  }

  app.post("/events/feed", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    if (!(await checkCsrf(c, await c.req.parseBody()))) return errorPage(c, deps, 403, "page.error.csrf");
    const token = await renewFeedToken(sql, r.user.account.id);
    return showAgenda(c, `${config.origin}/api/ruche/v1/calendar/feed/${token}.ics`);
  });

  function blank(c: Context): EventFormValues {
    const zone = c.get("page").timeZone;
    return {
      title: "", description: "", start: "", end: "", timezone: isTimeZone(zone) ? zone : "Europe/Paris", allDay: false, placeName: "",
      placeAddress: "", onlineUrl: "", capacity: "", joinMode: "free", visibility: "internal", rrule: "",
    };
  }

  app.get("/events/new", (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const values = blank(c);
    return page(c, EventFormPage, { ...chromeOf(c, deps), path: "/events", values, zones: zonesWith(values.timezone) });
  });

  /** The event form as sent: its values (shown again when refused), and its times as instants in its zone. */
  async function readForm(c: Context) {
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return { response: errorPage(c, deps, 403, "page.error.csrf") };
    const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");
    const pick = <T extends string>(k: string, list: readonly T[], fallback: T): T => ((list as readonly string[]).includes(str(k)) ? str(k) as T : fallback);
    const v: EventFormValues = {
      title: str("title"), description: str("description"), start: str("start"), end: str("end"), timezone: str("timezone"),
      allDay: str("allDay") === "1", placeName: str("placeName"), placeAddress: str("placeAddress"), onlineUrl: str("onlineUrl").trim(),
      capacity: str("capacity").trim(), joinMode: pick("joinMode", ["free", "restricted", "invite"] as const, "free"),
      visibility: pick("visibility", ["internal", "local", "public"] as const, "internal"), rrule: str("rrule").trim(),
    };
    const zone = isTimeZone(v.timezone) ? v.timezone : null;
    return { v, zone, start: zone ? zonedToInstant(v.start, zone) : null, end: zone ? zonedToInstant(v.end, zone) : null };
  }

  /** The form again, with the refusal next to its field, in the reader's language (the domain's words where they say more). */
  function refuse(c: Context, v: EventFormValues, field: string | null, reason: string, edit?: string) {
    const base = chromeOf(c, deps);
    const message = field && FIELD_ERRORS.includes(field as never) ? t(base.locale, `events.error.field.${field as (typeof FIELD_ERRORS)[number]}`)
      : field === "rrule" ? t(base.locale, "events.error.field.rrule", { reason: reason.replace(/^rrule: /, "") })
      : t(base.locale, "events.error.invalid", { reason });
    return page(c, EventFormPage, { ...base, path: "/events", values: v, zones: zonesWith(v.timezone), error: { field, message }, edit }, 422);
  }

  app.post("/events", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const f = await readForm(c);
    if ("response" in f) return f.response;
    const { v, zone, start, end } = f;
    const base = chromeOf(c, deps);
    // The form's times are wall-clock times in the chosen zone (datetime-local); the domain takes instants.
    if (!zone) return refuse(c, v, "timezone", v.timezone || "?");
    if (!start) return refuse(c, v, "start_at", t(base.locale, "events.field.start"));
    if (!end) return refuse(c, v, "end_at", t(base.locale, "events.field.end"));
    try {
      const e = await createEvent(sql, config.origin, r.user.account.id, {
        title: v.title, description: v.description, startAt: start.toISOString(), endAt: end.toISOString(), timezone: zone, allDay: v.allDay,
        place: v.placeName || v.placeAddress ? { name: v.placeName, address: v.placeAddress } : null,
        onlineUrl: v.onlineUrl || null, capacity: v.capacity ? Number(v.capacity) : null, joinMode: v.joinMode, visibility: v.visibility,
        rrule: v.rrule || null, language: base.locale,
      });
      return c.redirect(`/events/${e.postId}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return refuse(c, v, e.field ?? null, e.message);
    }
  });

  /** The event an organiser may edit (a local one), or the page refusing it. */
  async function editable(c: Context, accountId: string): Promise<EventView | Response> {
    const e = await findEvent(sql, c.req.param("id") ?? "", localViewer(accountId));
    if (!e) return errorPage(c, deps, 404, "page.error.notFound");
    if (!e.local || !(await isOrganiser(sql, e, accountId))) return errorPage(c, deps, 403, "events.edit.forbidden");
    return e;
  }

  app.get("/events/:id{[0-9]+}/edit", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const e = await editable(c, r.user.account.id);
    if (e instanceof Response) return e;
    const values: EventFormValues = {
      title: e.title, description: e.description, start: instantToZoned(e.startsAt, e.timezone), end: instantToZoned(e.endsAt, e.timezone),
      timezone: e.timezone, allDay: e.allDay, placeName: e.place?.name ?? "", placeAddress: e.place?.address ?? "", onlineUrl: e.onlineUrl ?? "",
      capacity: e.capacity == null ? "" : String(e.capacity), joinMode: e.joinMode === "external" ? "free" : e.joinMode, visibility: "internal", rrule: e.rrule ?? "",
    };
    return page(c, EventFormPage, { ...chromeOf(c, deps), path: "/events", values, zones: zonesWith(values.timezone), edit: e.postId });
  });

  app.post("/events/:id{[0-9]+}/edit", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const e = await editable(c, r.user.account.id);
    if (e instanceof Response) return e;
    const f = await readForm(c);
    if ("response" in f) return f.response;
    const { v, zone, start, end } = f;
    const base = chromeOf(c, deps);
    if (!zone) return refuse(c, v, "timezone", v.timezone || "?", e.postId);
    if (!start) return refuse(c, v, "start_at", t(base.locale, "events.field.start"), e.postId);
    if (!end) return refuse(c, v, "end_at", t(base.locale, "events.field.end"), e.postId);
    try {
      await updateEvent(sql, e.postId, r.user.account.id, {
        title: v.title, description: v.description, startAt: start.toISOString(), endAt: end.toISOString(), timezone: zone, allDay: v.allDay,
        place: v.placeName || v.placeAddress ? { name: v.placeName, address: v.placeAddress } : null,
        onlineUrl: v.onlineUrl || null, capacity: v.capacity ? Number(v.capacity) : null,
        joinMode: e.joinMode === "external" ? "external" : v.joinMode, rrule: v.rrule || null,
      });
      return c.redirect(`/events/${e.postId}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return refuse(c, v, err.field ?? null, err.message, e.postId);
    }
  });

  async function showEvent(c: Context, opts: { error?: string; status?: number } = {}) {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const viewer = localViewer(r.user.account.id);
    const e = await findEvent(sql, c.req.param("id") ?? "", viewer);
    if (!e) return errorPage(c, deps, 404, "page.error.notFound");
    const [post, participation, participants] = await Promise.all([
      loadPost(sql, e.postId, viewer), participationOf(sql, e.postId, r.user.account.id), listParticipants(sql, e.postId),
    ]);
    if (!post) return errorPage(c, deps, 404, "page.error.notFound");
    const organiser = summary(deps, post.account);
    return page(c, EventPage, {
      ...chromeOf(c, deps), path: "/events", participation: participation as Participation | null, error: opts.error,
      event: {
        ...summaryOf(e), descriptionHtml: post.contentHtml, placeName: e.place?.name || null, placeAddress: e.place?.address || null,
        onlineUrl: e.onlineUrl, externalUrl: e.externalUrl, capacity: e.capacity, joinMode: e.joinMode, rrule: e.rrule,
        participantsCount: e.participantsCount, waitlistCount: e.waitlistCount,
        organiser: { name: organiser.displayName || post.account.username, handle: organiser.handle, href: organiser.url },
        attendees: participants.filter((p) => p.status !== "not_going" && p.status !== "rejected").map((p) => {
          const s = summary(deps, p.account);
          return { id: p.account.id, name: s.displayName || p.account.username, handle: s.handle, href: s.url, status: p.status };
        }),
        organiserView: e.local && (await isOrganiser(sql, e, r.user.account.id)),
        icsHref: `/events/${e.postId}/event.ics`, over: e.endsAt.getTime() < Date.now() && !e.rrule,
      },
    }, opts.status);
  }
  app.get("/events/:id{[0-9]+}", (c) => showEvent(c));

  app.post("/events/:id{[0-9]+}/participation", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const status = typeof form.status === "string" ? form.status : "";
    const id = c.req.param("id");
    const viewer = localViewer(r.user.account.id);
    try {
      if (status === "leave") await leave(sql, config.origin, id, r.user.account.id, viewer);
      else if (status === "going" || status === "maybe" || status === "not_going") {
        await answer(sql, config.origin, { postId: id, accountId: r.user.account.id, status, viewer });
      } else return showEvent(c, { error: t(chromeOf(c, deps).locale, "events.error.answer", { reason: "?" }), status: 422 });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.status === 404) return errorPage(c, deps, 404, "page.error.notFound");
      return showEvent(c, { error: t(chromeOf(c, deps).locale, "events.error.answer", { reason: e.message }), status: e.status });
    }
    return c.redirect(`/events/${id}`, 303);
  });

  // An organiser accepts or declines a pending request (restricted mode), from the attendees list.
  app.post("/events/:id{[0-9]+}/participants/:account_id{[0-9]+}", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const verdict = form.verdict === "reject" ? "reject" : "accept";
    try {
      await decide(sql, c.req.param("id"), r.user.account.id, c.req.param("account_id"), verdict, localViewer(r.user.account.id));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.status === 404) return errorPage(c, deps, 404, "page.error.notFound");
      return showEvent(c, { error: t(chromeOf(c, deps).locale, "events.error.answer", { reason: e.message }), status: e.status });
    }
    return c.redirect(`/events/${c.req.param("id")}`, 303);
  });

  app.get("/events/:id{[0-9]+}/event.ics", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const e = await findEvent(sql, c.req.param("id"), localViewer(r.user.account.id));
    if (!e) return errorPage(c, deps, 404, "page.error.notFound");
    const items = await eventItems(sql, localViewer(r.user.account.id), e);
    c.header("Content-Type", "text/calendar; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="event-${e.postId}.ics"`);
    return c.body(calendarIcs(items, { name: e.title, host: new URL(config.origin).host }));
  });
}
