// The administrators' page (issue #15 point 6): /admin with the instance's siblings, rules and description — what
// the CLI does (`npm run ruche -- sibling|rule …`), in the browser, through the same domain functions.
import type { Context, Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import { addSibling, listSiblings, removeSibling } from "../../domain/instance/siblings.ts";
import { addRule, listRules, removeRule, RULE_LIMITS } from "../../domain/instance/rules.ts";
import { DESCRIPTION_MAX, instanceDescription, setInstanceDescription } from "../../domain/instance/instance-settings.ts";
import { instanceNames } from "../../domain/instance/instance-names.ts";
import { AdminPage, type AdminPageProps } from "../../../web/components/admin.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, setFlash, toSignIn } from "./session.ts";

export function registerAdminPages(app: Hono, deps: RouteDeps): void {
  const { sql } = deps;

  async function show(c: Context, extra: Partial<AdminPageProps> = {}, status = 200) {
    const [description, rules, origins] = await Promise.all([instanceDescription(sql), listRules(sql), listSiblings(sql)]);
    const names = await instanceNames(sql, origins);
    return page(c, AdminPage, {
      ...chromeOf(c, deps), description, descriptionMax: DESCRIPTION_MAX, rules, ruleMax: RULE_LIMITS.text,
      siblings: origins.map((o) => ({ origin: o, name: names.get(o) ?? new URL(o).host })), ...extra,
    }, status);
  }

  /** An administrator's form, CSRF-checked: the form's fields, or the response refusing it. */
  async function adminForm(c: Context): Promise<{ form: Record<string, unknown> } | { response: Response }> {
    const user = c.get("page").user;
    if (!user) return { response: toSignIn(c, "/admin") };
    if (user.role !== "admin") return { response: errorPage(c, deps, 403, "admin.only") };
    if (c.req.method === "GET") return { form: {} };
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return { response: errorPage(c, deps, 403, "page.error.csrf") };
    return { form };
  }

  const done = (c: Context, message: string) => {
    setFlash(c, deps, { kind: "info", message });
    return c.redirect("/admin", 303);
  };
  const str = (v: unknown) => (typeof v === "string" ? v : "");

  app.get("/admin", async (c) => {
    const a = await adminForm(c);
    return "response" in a ? a.response : show(c);
  });

  app.post("/admin/siblings", async (c) => {
    const a = await adminForm(c);
    if ("response" in a) return a.response;
    const locale = c.get("page").locale;
    try {
      await addSibling(sql, str(a.form.origin).trim());
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 422) throw e;
      return show(c, { error: { form: "sibling", message: t(locale, "admin.siblings.invalid"), value: str(a.form.origin) } }, 422);
    }
    await deps.data.siblings.refresh();
    return done(c, t(locale, "admin.siblings.added"));
  });

  app.post("/admin/siblings/remove", async (c) => {
    const a = await adminForm(c);
    if ("response" in a) return a.response;
    await removeSibling(sql, str(a.form.origin));
    await deps.data.siblings.refresh();
    return done(c, t(c.get("page").locale, "admin.siblings.removed"));
  });

  app.post("/admin/rules", async (c) => {
    const a = await adminForm(c);
    if ("response" in a) return a.response;
    const locale = c.get("page").locale;
    try {
      await addRule(sql, { text: str(a.form.text), hint: str(a.form.hint) });
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 422) throw e;
      return show(c, { error: { form: "rule", message: t(locale, "admin.rules.invalid", { max: RULE_LIMITS.text }), value: str(a.form.text) } }, 422);
    }
    return done(c, t(locale, "admin.rules.added"));
  });

  app.post("/admin/rules/:id/remove", async (c) => {
    const a = await adminForm(c);
    if ("response" in a) return a.response;
    await removeRule(sql, c.req.param("id"));
    return done(c, t(c.get("page").locale, "admin.rules.removed"));
  });

  app.post("/admin/description", async (c) => {
    const a = await adminForm(c);
    if ("response" in a) return a.response;
    const locale = c.get("page").locale;
    try {
      await setInstanceDescription(sql, a.form.description);
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 422) throw e;
      return show(c, { error: { form: "description", message: t(locale, "admin.description.tooLong", { max: DESCRIPTION_MAX }), value: str(a.form.description) } }, 422);
    }
    return done(c, t(locale, "admin.description.saved"));
  });
}
