// /api/ruche/v1/events (issue #12): create, read, resolve by URL (fetched from its home if needed), answer and leave,
// participants and the organisers' approval, invitations, cancelling; the agenda; an event's .ics and a person's
// private ICS feed. Same tokens, scopes and JSON errors as the Mastodon API; documented in docs/events.md.
import type { Context, Hono } from "hono";
import { z } from "zod";
import { changeOccurrence, createEvent, type EventView, eventIdByUrl, findEvent, setStatus, updateEvent } from "../../domain/events/events.ts";
import { ANSWERS, answer, decide, inviteToEvent, leave, listParticipants, participationOf } from "../../domain/events/participation.ts";
import { agenda, eventItems } from "../../domain/events/calendar.ts";
import { calendarIcs, feedOwner, renewFeedToken, revokeFeedToken } from "../../domain/events/ics.ts";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { DomainError } from "../../domain/errors.ts";
import { renderMarkdown } from "../../domain/markdown.ts";
import { resolveEventUrl } from "../../../federation/inbox/create/event.ts";
import type { RouteDeps } from "../deps.ts";
import { type ApiEnv, scopeRequired, tokenRequired, viewerOf } from "../mastodon/auth.ts";
import { notFound } from "../mastodon/errors.ts";
import { bodyParams, idParam, parse, queryParams } from "../mastodon/params.ts";
import { serializeAccounts } from "../mastodon/serializers.ts";

const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);
const createSchema = z.object({
  title: z.string(), description: z.string().optional(), start_at: z.string(), end_at: z.string(), timezone: z.string(),
  all_day: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).optional(),
  place: z.object({ name: z.string().optional(), address: z.string().optional(), latitude: num.nullable().optional(), longitude: num.nullable().optional() })
    .nullable().optional(),
  online_url: z.string().nullable().optional(), capacity: num.nullable().optional(), join_mode: z.string().optional(),
  external_url: z.string().nullable().optional(), visibility: z.string().optional(), group_id: idParam.nullable().optional(),
  rrule: z.string().nullable().optional(), language: z.string().nullable().optional(),
});
const patchSchema = createSchema.omit({ visibility: true, group_id: true }).partial().strict();
const answerSchema = z.object({ status: z.enum(ANSWERS, { message: "must be going, maybe or not_going" }) });
const inviteSchema = z.object({ account_ids: z.array(idParam).min(1).max(500) });
const isoInstant = z.string().datetime({ offset: true, message: "must be an ISO 8601 date and time with its offset" }).transform((s) => new Date(s));
const occurrenceSchema = z.object({
  original_start: isoInstant, start_at: isoInstant.optional(), end_at: isoInstant.optional(),
  cancelled: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).optional(),
});
const statusSchema = z.object({ status: z.enum(["scheduled", "cancelled", "postponed"]) });
const windowSchema = z.object({
  from: z.string().datetime({ offset: true }).optional(), to: z.string().datetime({ offset: true }).optional(),
  mine: z.enum(["true", "false", "1", "0"]).optional(), group_id: idParam.optional(),
});

export function eventJson(e: EventView, extra: { myStatus?: string | null; visibility?: string } = {}) {
  return {
    id: e.postId, uri: e.iri, url: e.url ?? e.iri, local: e.local,
    title: e.title, description: e.description, description_html: e.local ? renderMarkdown(e.description) : null,
    start_at: e.startsAt.toISOString(), end_at: e.endsAt.toISOString(), timezone: e.timezone, all_day: e.allDay,
    place: e.place, online_url: e.onlineUrl, capacity: e.capacity, join_mode: e.joinMode, external_url: e.externalUrl,
    status: e.status, rrule: e.rrule, group_id: e.groupId,
    participants_count: e.participantsCount, waitlist_count: e.waitlistCount,
    remaining_capacity: e.capacity == null ? null : Math.max(0, e.capacity - e.participantsCount),
    participation: extra.myStatus ?? null,
  };
}

export function registerRucheEvents(api: Hono<ApiEnv>, deps: RouteDeps): void {
  const { sql, config } = deps;
  const read = [tokenRequired(deps), scopeRequired(["read:statuses"])] as const;
  const write = [tokenRequired(deps), scopeRequired(["write:statuses"])] as const;

  async function readable(c: Context<ApiEnv>): Promise<EventView> {
    const e = await findEvent(sql, c.req.param("id") ?? "", localViewer(viewerOf(c).accountId));
    if (!e) throw notFound();
    return e;
  }
  async function json(e: EventView, viewerId: string) {
    return eventJson(e, { myStatus: await participationOf(sql, e.postId, viewerId) });
  }

  api.post("/api/ruche/v1/events", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(createSchema, await bodyParams(c));
    const e = await createEvent(sql, config.origin, viewer.accountId, {
      title: p.title, description: p.description, startAt: p.start_at, endAt: p.end_at, timezone: p.timezone,
      allDay: p.all_day, place: p.place ? { name: p.place.name, address: p.place.address, latitude: p.place.latitude, longitude: p.place.longitude } : null,
      onlineUrl: p.online_url || null, capacity: p.capacity, joinMode: p.join_mode as never, externalUrl: p.external_url || null,
      visibility: p.visibility as never, groupId: p.group_id ?? null, rrule: p.rrule || null, language: p.language ?? null,
    });
    return c.json(await json(e, viewer.accountId));
  });

  // An organiser changes the details (any of the creation's fields but visibility and group_id; null clears one).
  api.patch("/api/ruche/v1/events/:id{[0-9]+}", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(patchSchema, await bodyParams(c));
    const has = (k: keyof typeof p) => Object.hasOwn(p, k);
    const orNull = (v: string | null | undefined) => (v === undefined ? undefined : v || null);
    const e = await updateEvent(sql, c.req.param("id"), viewer.accountId, {
      title: p.title, description: p.description, startAt: p.start_at, endAt: p.end_at, timezone: p.timezone, allDay: p.all_day,
      place: has("place") ? (p.place ? { name: p.place.name, address: p.place.address, latitude: p.place.latitude, longitude: p.place.longitude } : null) : undefined,
      onlineUrl: orNull(p.online_url), capacity: p.capacity, joinMode: p.join_mode as never, externalUrl: orNull(p.external_url),
      rrule: orNull(p.rrule), language: p.language,
    });
    return c.json(await json(e, viewer.accountId));
  });

  // The agenda: occurrences in a window (default: the next 31 days), everyone's or `mine=true`, or a group's.
  api.get("/api/ruche/v1/events", ...read, async (c) => {
    const viewer = viewerOf(c);
    const q = parse(windowSchema, queryParams(c));
    const from = q.from ? new Date(q.from) : new Date();
    const to = q.to ? new Date(q.to) : new Date(from.getTime() + 31 * 86_400_000);
    const items = await agenda(sql, localViewer(viewer.accountId), { from, to, mine: q.mine === "true" || q.mine === "1", groupId: q.group_id });
    return c.json(items.map(({ event, occurrence }) => ({
      ...eventJson(event), occurrence: {
        start_at: occurrence.startsAt.toISOString(), end_at: occurrence.endsAt.toISOString(),
        original_start_at: occurrence.originalStart.toISOString(), moved: occurrence.moved,
      },
    })));
  });

  api.get("/api/ruche/v1/events/resolve", ...read, async (c) => {
    const viewer = viewerOf(c);
    const url = c.req.query("url") ?? "";
    if (!url) throw new DomainError("validation_failed", 422, "url: is required", "url");
    const id = (await eventIdByUrl(sql, url)) ?? (await resolveEventUrl(deps.context(), url).catch(() => null));
    const e = id ? await findEvent(sql, id, localViewer(viewer.accountId)) : null;
    if (!e) throw notFound();
    return c.json(await json(e, viewer.accountId));
  });

  api.get("/api/ruche/v1/events/:id{[0-9]+}", ...read, async (c) => c.json(await json(await readable(c), viewerOf(c).accountId)));

  api.post("/api/ruche/v1/events/:id{[0-9]+}/participation", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(answerSchema, await bodyParams(c));
    const r = await answer(sql, config.origin, { postId: c.req.param("id"), accountId: viewer.accountId, status: p.status, viewer: localViewer(viewer.accountId) });
    return c.json({ status: r.status });
  });

  api.delete("/api/ruche/v1/events/:id{[0-9]+}/participation", ...write, async (c) => {
    const viewer = viewerOf(c);
    await leave(sql, config.origin, c.req.param("id"), viewer.accountId, localViewer(viewer.accountId));
    return c.json({ status: null });
  });

  api.get("/api/ruche/v1/events/:id{[0-9]+}/participants", ...read, async (c) => {
    const e = await readable(c);
    const list = await listParticipants(sql, e.postId);
    const accounts = await serializeAccounts(sql, config.origin, list.map((p) => p.account));
    return c.json(list.map((p, i) => ({ account: accounts[i], status: p.status, updated_at: p.since.toISOString() })));
  });

  for (const verdict of ["accept", "reject"] as const) {
    api.post(`/api/ruche/v1/events/:id{[0-9]+}/participants/:account_id{[0-9]+}/${verdict}`, ...write, async (c) => {
      const viewer = viewerOf(c);
      const r = await decide(sql, c.req.param("id"), viewer.accountId, c.req.param("account_id"), verdict, localViewer(viewer.accountId));
      return c.json({ account_id: c.req.param("account_id"), status: r.status });
    });
  }

  api.post("/api/ruche/v1/events/:id{[0-9]+}/invitations", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(inviteSchema, await bodyParams(c));
    await inviteToEvent(sql, c.req.param("id"), viewer.accountId, p.account_ids, localViewer(viewer.accountId));
    return c.json({ account_ids: p.account_ids });
  });

  api.put("/api/ruche/v1/events/:id{[0-9]+}/status", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(statusSchema, await bodyParams(c));
    return c.json(await json(await setStatus(sql, c.req.param("id"), viewer.accountId, p.status), viewer.accountId));
  });

  // One occurrence of a recurring event moved or cancelled, named by its original start.
  api.put("/api/ruche/v1/events/:id{[0-9]+}/occurrences", ...write, async (c) => {
    const viewer = viewerOf(c);
    const p = parse(occurrenceSchema, await bodyParams(c));
    await changeOccurrence(sql, c.req.param("id"), viewer.accountId, { originalStart: p.original_start, startsAt: p.start_at, endsAt: p.end_at, cancelled: p.cancelled });
    return c.json({ original_start: p.original_start.toISOString(), start_at: p.start_at?.toISOString() ?? null, end_at: p.end_at?.toISOString() ?? null, cancelled: p.cancelled ?? false });
  });

  api.get("/api/ruche/v1/events/:id{[0-9]+}/ics", ...read, async (c) => {
    const e = await readable(c);
    const items = await eventItems(sql, localViewer(viewerOf(c).accountId), e);
    return icsResponse(c, calendarIcs(items, { name: e.title, host: new URL(config.origin).host }), `event-${e.postId}.ics`);
  });

  // The private feed: its URL is the credential (Outlook, Thunderbird and Google Calendar send nothing else).
  api.get("/api/ruche/v1/calendar/feed", ...read, async (c) => {
    const token = await renewFeedToken(sql, viewerOf(c).accountId);
    return c.json({ url: `${config.origin}/api/ruche/v1/calendar/feed/${token}.ics` });
  });
  api.delete("/api/ruche/v1/calendar/feed", ...write, async (c) => {
    await revokeFeedToken(sql, viewerOf(c).accountId);
    return c.json({});
  });
  api.get("/api/ruche/v1/calendar/feed/:file{[A-Za-z0-9_-]{43}\\.ics}", async (c) => {
    const owner = await feedOwner(sql, c.req.param("file").slice(0, -4));
    if (!owner) return c.json({ error: "This calendar feed does not exist or was revoked" }, 404);
    const account = await findAccountById(sql, owner);
    const from = new Date(Date.now() - 31 * 86_400_000);
    const items = await agenda(sql, localViewer(owner), { from, to: new Date(from.getTime() + 396 * 86_400_000), mine: true, limit: 2_000 });
    return icsResponse(c, calendarIcs(items, { name: `Ruche — ${account?.displayName || account?.username || ""}`, host: new URL(config.origin).host }), "ruche.ics");
  });
}

function icsResponse(c: Context, body: string, filename: string): Response {
  c.header("Content-Type", "text/calendar; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="${filename}"`);
  c.header("Cache-Control", "private, no-store");
  return c.body(body);
}
