// Settings › Filters (/settings/filters): the person's Mastodon filters (domain/timelines/filters.ts), the same
// ones their apps manage through /api/v2/filters. POST /settings/filters creates one, /settings/filters/:id saves
// one (its words replaced by those of the form), /settings/filters/:id/delete removes one.
import type { Context, Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import { createFilter, deleteFilter, type Filter, type FilterInput, getFilter, listFilters, updateFilter } from "../../domain/timelines/filters.ts";
import { EXPIRY_CHOICES, type FilterRow, FiltersPage } from "../../../web/components/filters.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, toSignIn } from "./session.ts";

const row = (f: Filter): FilterRow => ({
  id: f.id, title: f.title, action: f.action, context: f.context, expiresAt: f.expiresAt,
  expired: f.expiresAt != null && f.expiresAt.getTime() <= Date.now(), keywords: f.keywords,
});

/** The form's fields as a filter input: words one per line, contexts as repeated checkboxes. */
function inputOf(form: Record<string, string | File | (string | File)[]>, existing: Filter | null): FilterInput {
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const words = [...new Set(text(form.keywords).split(/\r?\n/).map((w) => w.trim()).filter(Boolean))];
  const wholeWord = form.wholeWord === "on";
  const context = (Array.isArray(form.context) ? form.context : [form.context]).map(text).filter(Boolean) as FilterInput["context"];
  const expiry = text(form.expiresIn);
  const expiresIn = expiry === "keep" ? undefined : (EXPIRY_CHOICES as readonly string[]).includes(expiry) ? Number(expiry) : null;
  if (words.length === 0) throw new DomainError("validation_failed", 422, "keyword: at least one", "keyword");
  return {
    title: text(form.title), context, action: form.action === "hide" ? "hide" : "warn", expiresIn,
    keywords: [
      ...(existing?.keywords ?? []).map((k) => ({ id: k.id, destroy: true })),
      ...words.map((keyword) => ({ keyword, wholeWord })),
    ],
  };
}

export function registerFilterPages(app: Hono, deps: RouteDeps): void {
  const { sql } = deps;

  async function filtersPage(c: Context, accountId: string, opts: { editing?: Filter | null; error?: boolean } = {}) {
    const filters = await listFilters(sql, accountId);
    return page(c, FiltersPage, {
      ...chromeOf(c, deps),
      filters: filters.map(row),
      editing: opts.editing ? row(opts.editing) : null,
      error: opts.error ? t(chromeOf(c, deps).locale, "filters.invalid") : undefined,
    }, opts.error ? 422 : 200);
  }

  /** The signed-in person and the posted form with its CSRF token checked, or the response to send instead. */
  async function formOf(c: Context) {
    const user = c.get("page").user;
    if (!user) return { response: toSignIn(c, "/settings/filters") };
    const form = await c.req.parseBody({ all: true });
    if (!(await checkCsrf(c, form))) return { response: errorPage(c, deps, 403, "page.error.csrf") };
    return { accountId: user.account.id as string, form };
  }

  app.get("/settings/filters", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/filters");
    return await filtersPage(c, user.account.id);
  });

  app.get("/settings/filters/:id{[0-9]{1,18}}", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/filters");
    const editing = await getFilter(sql, user.account.id, c.req.param("id")).catch(() => null);
    if (!editing) return errorPage(c, deps, 404, "page.error.notFound");
    return await filtersPage(c, user.account.id, { editing });
  });

  app.post("/settings/filters", async (c) => {
    const r = await formOf(c);
    if (!r.accountId) return r.response;
    try {
      await createFilter(sql, r.accountId, inputOf(r.form, null));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return await filtersPage(c, r.accountId, { error: true });
    }
    return c.redirect("/settings/filters", 303);
  });

  app.post("/settings/filters/:id{[0-9]{1,18}}", async (c) => {
    const r = await formOf(c);
    if (!r.accountId) return r.response;
    const existing = await getFilter(sql, r.accountId, c.req.param("id")).catch(() => null);
    if (!existing) return errorPage(c, deps, 404, "page.error.notFound");
    try {
      await updateFilter(sql, r.accountId, existing.id, inputOf(r.form, existing));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return await filtersPage(c, r.accountId, { editing: existing, error: true });
    }
    return c.redirect("/settings/filters", 303);
  });

  app.post("/settings/filters/:id{[0-9]{1,18}}/delete", async (c) => {
    const r = await formOf(c);
    if (!r.accountId) return r.response;
    await deleteFilter(sql, r.accountId, c.req.param("id")).catch((e) => {
      if (!(e instanceof DomainError)) throw e;
    });
    return c.redirect("/settings/filters", 303);
  });
}
