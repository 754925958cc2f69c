// The signed-in person's own pages: edit profile, language, follow requests.
import type { Hono } from "hono";
import { canonicalTimeZone, clearTimeZone, LIMITS, setLocale, setTimeZone, updateProfile } from "../../domain/accounts/accounts.ts";
import { authorizeFollowRequest, listFollowRequests, rejectFollowRequest } from "../../domain/follows/follows.ts";
import { DomainError } from "../../domain/errors.ts";
import { MAX_IMAGE_BYTES, saveImageUpload } from "../../domain/media/media.ts";
import { EditProfilePage, type EditProfileField } from "../../../web/components/edit-profile.ts";
import { FollowRequestsPage } from "../../../web/components/follow-requests.ts";
import { LanguagePage } from "../../../web/components/language.ts";
import { isLocale, t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { getProfile, ProfileValidationError, updateLocalProfile } from "../../domain/profiles/profiles.ts";
import { checkWorkForm, readWorkForm, WORK_LIMITS, workErrorsOf, workFormValues } from "./profile-form.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, requireUser, safeNext, setLocaleCookie } from "./session.ts";
import { summary } from "./views.ts";

export function registerSettingsPages(app: Hono, deps: RouteDeps): void {
  app.get("/settings/profile", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const a = r.user.account;
    const stored = await getProfile(deps.sql, a.id);
    return page(c, EditProfilePage, {
      ...chromeOf(c, deps), values: { displayName: a.displayName, bio: a.bio, locked: a.locked },
      limits: { displayName: LIMITS.displayName, bio: LIMITS.bio }, saved: c.req.query("saved") === "1",
      work: stored ? { values: await workFormValues(deps, stored), limits: WORK_LIMITS } : undefined,
    });
  });

  app.post("/settings/profile", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody({ all: true });
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const base = chromeOf(c, deps);
    const values = {
      displayName: typeof form.displayName === "string" ? form.displayName : "",
      bio: typeof form.bio === "string" ? form.bio : "",
      locked: form.locked === "on" || form.locked === "true",
    };
    const errors: Partial<Record<EditProfileField, string>> = {};
    if (values.displayName.trim().length > LIMITS.displayName) errors.displayName = t(base.locale, "editProfile.error.displayNameTooLong", { max: LIMITS.displayName });
    if (values.bio.length > LIMITS.bio) errors.bio = t(base.locale, "editProfile.error.bioTooLong", { max: LIMITS.bio });
    let avatarUrl: string | undefined;
    const file = form.avatar;
    if (!errors.displayName && !errors.bio && file instanceof File && file.size > 0) {
      try {
        avatarUrl = await saveImageUpload(deps.sql, deps.config.dataDir, r.user.account.id, "avatar", new Uint8Array(await file.arrayBuffer()),
          { ffmpegPath: deps.config.ffmpegPath });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        errors.avatar = e.status === 413
          ? t(base.locale, "editProfile.error.avatarTooLarge", { size: `${MAX_IMAGE_BYTES / 1024 / 1024} Mo` })
          : t(base.locale, "editProfile.error.avatarType");
      }
    }
    // The work profile (issue #3) is checked with the rest, so one submission reports every problem.
    const workValues = readWorkForm(form as Record<string, unknown>);
    const work = await checkWorkForm(deps, base.locale, workValues);
    if (Object.keys(errors).length > 0 || "errors" in work) {
      return page(c, EditProfilePage, {
        ...base, values, errors, limits: { displayName: LIMITS.displayName, bio: LIMITS.bio },
        work: { values: workValues, errors: "errors" in work ? work.errors : {}, limits: WORK_LIMITS },
      }, 422);
    }
    // One transaction, one Update(Person): the account part and the work profile are saved together.
    try {
      await deps.sql.begin(async (tx) => {
        await updateProfile(tx, r.user.account.id, { displayName: values.displayName, bio: values.bio, locked: values.locked, ...(avatarUrl ? { avatarUrl } : {}) });
        await updateLocalProfile(tx, r.user.account.id, work.input);
      });
    } catch (e) {
      // Known only when saving: a manager who is the person, or reports to them (issue #8 point 6).
      if (!(e instanceof ProfileValidationError)) throw e;
      return page(c, EditProfilePage, {
        ...base, values, limits: { displayName: LIMITS.displayName, bio: LIMITS.bio },
        work: { values: workValues, errors: workErrorsOf(base.locale, e), limits: WORK_LIMITS },
      }, 422);
    }
    return c.redirect("/settings/profile?saved=1", 303);
  });

  app.get("/settings/language", (c) => {
    const base = chromeOf(c, deps);
    const user = c.get("page").user;
    return page(c, LanguagePage, { ...base, current: user?.locale ?? base.locale, timeZone: user ? user.timeZone : undefined });
  });

  app.post("/settings/time-zone", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const chosen = typeof form.timeZone === "string" ? form.timeZone : "";
    if (chosen === "") await clearTimeZone(deps.sql, r.user.account.id);
    else if (canonicalTimeZone(chosen)) await setTimeZone(deps.sql, r.user.account.id, chosen);
    else {
      const base = chromeOf(c, deps);
      return page(c, LanguagePage, {
        ...base, current: r.user.locale ?? base.locale, timeZone: r.user.timeZone, timeZoneError: t(base.locale, "timeZone.invalid"),
      }, 422);
    }
    return c.redirect("/settings/language#time-zone", 303);
  });

  app.post("/settings/language", async (c) => {
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    if (!isLocale(form.locale)) return errorPage(c, deps, 422, "page.error.generic");
    const user = c.get("page").user;
    if (user) await setLocale(deps.sql, user.account.id, form.locale);
    setLocaleCookie(c, deps, form.locale);
    return c.redirect(safeNext(form.next ?? "/settings/language"), 303);
  });

  app.get("/follow-requests", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const list = await listFollowRequests(deps.sql, r.user.account.id, { limit: 80 });
    return page(c, FollowRequestsPage, { ...chromeOf(c, deps), requests: list.items.map((a) => ({ ...summary(deps, a), id: a.id })) });
  });

  for (const action of ["authorize", "reject"] as const) {
    app.post(`/follow-requests/:id/${action}`, async (c) => {
      const r = requireUser(c);
      if (!r.user) return r.redirect;
      const form = await c.req.parseBody();
      if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
      const id = c.req.param("id");
      if (!/^\d{1,18}$/.test(id)) return errorPage(c, deps, 404, "page.error.notFound");
      try {
        if (action === "authorize") await authorizeFollowRequest(deps.sql, r.user.account.id, id);
        else await rejectFollowRequest(deps.sql, r.user.account.id, id);
      } catch (e) {
        if (e instanceof DomainError && e.status === 404) return errorPage(c, deps, 404, "page.error.notFound");
        throw e;
      }
      return c.redirect("/follow-requests", 303);
    });
  }
}
