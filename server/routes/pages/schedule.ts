// Settings › Working hours (issue #15): the schedule form, leave, and "back to the company's hours". The form's
// fields become the API's shape and go through the same check (schedules.ts parseSchedule), so a page and an app
// are refused alike; a refusal re-renders the form with what was typed and a translated message (422).
import type { Context, Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import { availabilityOf } from "../../domain/quiet/availability.ts";
import { heldCount, releaseHeld } from "../../domain/quiet/held.ts";
import { addLeave, clearSchedule, deleteLeave, listLeaves, parseSchedule, scheduleInForce, scheduleJson, setSchedule, type ScheduleInput } from "../../domain/quiet/schedules.ts";
import { availabilityText } from "../../../web/components/availability.ts";
import { FORM_DAYS, SchedulePage, type ScheduleFormValues } from "../../../web/components/schedule-settings.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, setFlash, toSignIn } from "./session.ts";

const ZONES = Intl.supportedValuesOf("timeZone");
const ERROR_CODES = new Set(["unknown_time_zone", "range_end_before_start", "ranges_overlap", "invalid_time", "invalid_date"]);

function formValues(s: ScheduleInput | null, readerZone: string): ScheduleFormValues {
  const json = s ? scheduleJson(s) : null;
  const days = Object.fromEntries(FORM_DAYS.map((d) => [d, (json?.days as Record<string, [string, string][]> | undefined)?.[d] ?? []])) as ScheduleFormValues["days"];
  return { timeZone: json?.timezone ?? readerZone, country: json?.country ?? "", days };
}

/** The form's fields → the API's body; empty periods are left out, a half-filled one is kept for the check to refuse. */
function fromForm(form: Record<string, unknown>): { body: Record<string, unknown>; values: ScheduleFormValues } {
  const text = (k: string) => (typeof form[k] === "string" ? (form[k] as string).trim() : "");
  const days: ScheduleFormValues["days"] = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  for (const d of FORM_DAYS) {
    for (const i of [0, 1]) {
      const from = text(`${d}_${i}_from`), to = text(`${d}_${i}_to`);
      if (from || to) days[d].push([from, to]);
    }
  }
  const country = text("country");
  return {
    body: { timezone: text("timezone"), days: Object.fromEntries(Object.entries(days).filter(([, r]) => r.length > 0)), country: country || null },
    values: { timeZone: text("timezone"), country, days },
  };
}

export function registerSchedulePages(app: Hono, deps: RouteDeps): void {
  const { sql, clock } = deps;

  async function show(c: Context, accountId: string, values?: ScheduleFormValues, errors: string[] = [], status = 200) {
    const { locale } = chromeOf(c, deps);
    const zone = c.get("page").timeZone ?? "Europe/Paris";
    const found = await scheduleInForce(sql, accountId);
    const now = clock.now();
    const availability = await availabilityOf(sql, accountId, now);
    const nowText = availability ? (availabilityText(locale, availability, new Date(now), zone) ?? t(locale, "quiet.atWork")) : null;
    const current: ScheduleInput | null = found
      ? { timeZone: found.schedule.timeZone, days: found.schedule.days as ScheduleInput["days"], country: found.schedule.country }
      : null;
    return page(c, SchedulePage, {
      ...chromeOf(c, deps),
      values: values ?? formValues(current, zone),
      source: found?.source ?? ("none" as const),
      zones: ZONES,
      leaves: (await listLeaves(sql, accountId)).map((l) => ({ id: l.id, first: l.firstDay, last: l.lastDay })),
      now: nowText,
      held: await heldCount(sql, accountId),
      errors,
    }, status);
  }

  const errorText = (c: Context, e: DomainError) =>
    t(chromeOf(c, deps).locale, (ERROR_CODES.has(e.code) ? `quiet.error.${e.code}` : "quiet.error.other") as "quiet.error.other");

  app.get("/settings/schedule", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c);
    return await show(c, user.account.id);
  });

  app.post("/settings/schedule", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/schedule");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const { body, values } = fromForm(form);
    try {
      await setSchedule(sql, user.account.id, parseSchedule(body));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return await show(c, user.account.id, values, [errorText(c, e)], 422);
    }
    await releaseHeld(sql, user.account.id, clock.now());
    setFlash(c, deps, { kind: "info", message: t(chromeOf(c, deps).locale, "quiet.settings.saved") });
    return c.redirect("/settings/schedule", 303);
  });

  app.post("/settings/schedule/default", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/schedule");
    if (!(await checkCsrf(c, await c.req.parseBody()))) return errorPage(c, deps, 403, "page.error.csrf");
    await clearSchedule(sql, user.account.id);
    await releaseHeld(sql, user.account.id, clock.now());
    return c.redirect("/settings/schedule", 303);
  });

  app.post("/settings/schedule/leaves", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/schedule");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    try {
      await addLeave(sql, user.account.id, form.first_day, form.last_day);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return await show(c, user.account.id, undefined, [errorText(c, e)], 422);
    }
    await releaseHeld(sql, user.account.id, clock.now());
    return c.redirect("/settings/schedule", 303);
  });

  app.post("/settings/schedule/leaves/:id{[0-9]{1,18}}/delete", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/schedule");
    if (!(await checkCsrf(c, await c.req.parseBody()))) return errorPage(c, deps, 403, "page.error.csrf");
    await deleteLeave(sql, user.account.id, c.req.param("id"));
    await releaseHeld(sql, user.account.id, clock.now());
    return c.redirect("/settings/schedule", 303);
  });
}
