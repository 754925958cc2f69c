// Reports and moderation pages (issue #15 point 5): /report (everyone, from a message's menu or a profile), the
// moderators' /admin/reports queue with one report's decision form, /admin/moderation-log, and
// /settings/moderation where a person reads the decisions about them.
import type { Context, Hono } from "hono";
import { type Account, findAccountById, handleOf, isStaff } from "../../domain/accounts/accounts.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { DomainError } from "../../domain/errors.ts";
import { decide, markNoticesRead, moderationLog, noticesOf } from "../../domain/moderation/decisions.ts";
import { createReport, getReport, listReports, REPORT_LIMITS, type ReportView } from "../../domain/moderation/reports.ts";
import { loadPost } from "../../domain/posts/post-views.ts";
import {
  type PersonRef, ModerationLogPage, NoticesPage, ReportDetailPage, type ReportRow, ReportPage, ReportSentPage, ReportsPage,
} from "../../../web/components/moderation.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, toSignIn } from "./session.ts";

const ID = /^\d{1,18}$/;

export function registerModerationPages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;
  const host = new URL(config.origin).host;
  const person = (a: Account): PersonRef => ({
    id: a.id, name: a.displayName || a.username, handle: handleOf(a, host),
    path: a.domain == null ? `/@${encodeURIComponent(a.username)}` : `/${handleOf(a, host)}`,
  });

  /** What the report form is about: `account`, or `post` (whose author is reported), as the reader may see it. */
  async function subject(c: Context, accountId: string) {
    const postId = c.req.query("post") ?? "";
    const q = c.req.query("account") ?? "";
    const found = ID.test(postId) ? await loadPost(sql, postId, localViewer(accountId)) : null;
    // A boost is reported as the boosted post, by its author.
    const post = found?.reblog ?? found;
    const target = post ? post.account : ID.test(q) ? await findAccountById(sql, q) : null;
    return { post, target };
  }

  function formProps(c: Context, target: Account, post: { id: string; contentHtml: string } | null) {
    const remoteOrigin = target.domain ? new URL(target.iri).origin : null;
    return {
      ...chromeOf(c, deps),
      target: person(target),
      remote: remoteOrigin ? { host: target.domain!, sibling: deps.data.siblings.isSibling(remoteOrigin) } : null,
      post: post ? { id: post.id, html: post.contentHtml } : null,
      maxComment: REPORT_LIMITS.comment,
    };
  }

  app.get("/report", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, new URL(c.req.url).pathname + new URL(c.req.url).search);
    const { post, target } = await subject(c, user.account.id);
    if (!target || target.id === user.account.id) return errorPage(c, deps, 404, "moderation.report.notFound");
    return page(c, ReportPage, { ...formProps(c, target, post), form: { category: "violation", comment: "", forward: false } });
  });

  app.post("/report", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const str = (v: unknown) => (typeof v === "string" ? v : "");
    const accountId = str(form.account_id), postId = str(form.post_id);
    const target = ID.test(accountId) ? await findAccountById(sql, accountId) : null;
    if (!target) return errorPage(c, deps, 404, "moderation.report.notFound");
    const filled = { category: str(form.category) || "other", comment: str(form.comment).replace(/\r\n/g, "\n"), forward: form.forward === "true" };
    try {
      await createReport(sql, config.origin, user.account.id, {
        account_id: target.id, status_ids: ID.test(postId) ? [postId] : [], comment: filled.comment, category: filled.category, forward: filled.forward,
      }, { isSibling: (o) => deps.data.siblings.isSibling(o) });
    } catch (e) {
      if (!(e instanceof DomainError) || e.status !== 422) throw e;
      const post = ID.test(postId) ? await loadPost(sql, postId, localViewer(user.account.id)) : null;
      const locale = c.get("page").locale;
      const error = e.field === "comment" ? t(locale, "moderation.report.tooLong", { max: REPORT_LIMITS.comment }) : t(locale, "moderation.report.notFound");
      return page(c, ReportPage, { ...formProps(c, target, post), form: filled, error }, 422);
    }
    const back = ID.test(postId) ? `/posts/${postId}` : person(target).path;
    return page(c, ReportSentPage, { ...chromeOf(c, deps), back });
  });

  function staffOf(c: Context) {
    const user = c.get("page").user;
    if (!user) return { response: toSignIn(c, new URL(c.req.url).pathname) };
    if (!isStaff(user)) return { response: errorPage(c, deps, 403, "moderation.only") };
    return { user };
  }

  async function rowOf(r: ReportView): Promise<ReportRow> {
    const [state] = await sql`SELECT silenced_at, suspended_at FROM accounts WHERE id = ${r.target.id}`;
    return {
      id: r.id,
      target: { ...person(r.target), silenced: state?.silenced_at != null, suspended: state?.suspended_at != null, host: r.target.domain },
      reporter: r.reporter ? person(r.reporter) : null,
      originHost: r.originDomain,
      category: r.category,
      comment: r.comment,
      posts: r.posts.map((p) => ({ iri: p.iri, html: p.contentHtml })),
      state: r.state,
      actionTaken: r.actionTaken,
      createdAt: r.createdAt,
    };
  }

  app.get("/admin/reports", async (c) => {
    const s = staffOf(c);
    if (!s.user) return s.response;
    const resolved = c.req.query("resolved") === "1";
    const reports = await listReports(sql, { state: resolved ? "resolved" : "open", limit: 100 });
    return page(c, ReportsPage, { ...chromeOf(c, deps), reports: await Promise.all(reports.map(rowOf)), resolved });
  });

  async function showReport(c: Context, id: string, extra: { error?: string; done?: boolean; form?: { action: string; reason: string } } = {}, status = 200) {
    const r = await getReport(sql, id);
    if (!r) return errorPage(c, deps, 404, "page.error.notFound");
    return page(c, ReportDetailPage, { ...chromeOf(c, deps), report: await rowOf(r), form: extra.form ?? { action: "", reason: "" }, error: extra.error, done: extra.done }, status);
  }

  app.get("/admin/reports/:id", async (c) => {
    const s = staffOf(c);
    if (!s.user) return s.response;
    return showReport(c, c.req.param("id"), { done: c.req.query("done") === "1" });
  });

  app.post("/admin/reports/:id", async (c) => {
    const s = staffOf(c);
    if (!s.user) return s.response;
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const id = c.req.param("id");
    const filled = { action: typeof form.action === "string" ? form.action : "", reason: typeof form.reason === "string" ? form.reason.replace(/\r\n/g, "\n") : "" };
    try {
      await decide(sql, config.dataDir, s.user.account.id, { action: filled.action, report_id: id, reason: filled.reason });
    } catch (e) {
      if (!(e instanceof DomainError) || e.status === 404) throw e;
      const locale = c.get("page").locale;
      const error = e.code === "remote_content" ? t(locale, "moderation.error.remote")
        : e.code === "report_resolved" ? t(locale, "moderation.error.resolved")
        : e.status === 403 ? t(locale, "moderation.error.staff")
        : e.field === "status_ids" ? t(locale, "moderation.error.noPost")
        : t(locale, "moderation.error.reason");
      return showReport(c, id, { error, form: filled }, e.status);
    }
    return c.redirect(`/admin/reports/${id}?done=1`, 303);
  });

  app.get("/admin/moderation-log", async (c) => {
    const s = staffOf(c);
    if (!s.user) return s.response;
    const log = await moderationLog(sql, { limit: 200 });
    return page(c, ModerationLogPage, {
      ...chromeOf(c, deps),
      log: log.map((m) => ({ id: m.id, at: m.createdAt, moderator: m.moderator ? m.moderator.displayName || m.moderator.username : null, action: m.action, account: person(m.target), reason: m.reason })),
    });
  });

  app.get("/settings/moderation", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/moderation");
    const notices = await noticesOf(sql, user.account.id);
    await markNoticesRead(sql, user.account.id);
    return page(c, NoticesPage, { ...chromeOf(c, deps), notices: notices.map((n) => ({ id: n.id, at: n.createdAt, action: n.action, reason: n.reason })) });
  });
}
