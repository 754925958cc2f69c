// Lists (/lists): one's lists and a form to make one; /lists/:id: the list's timeline (listTimeline, the home
// timeline's scan on its members, with the reader's home filters), members (add among the people one follows,
// remove) and settings. /lists/:id/more answers the next page as a fragment for the infinite-scroll island.
import type { Context, Hono } from "hono";
import { DomainError } from "../../domain/errors.ts";
import { listFollowing } from "../../domain/follows/follows.ts";
import {
  addListMembers, createList, deleteList, getList, type ListInput, listLists, listMembers, REPLIES_POLICIES, removeListMembers, updateList,
} from "../../domain/lists/lists.ts";
import { listTimeline } from "../../domain/timelines/timelines.ts";
import { ListPage, ListsPage } from "../../../web/components/lists.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { islandUrls } from "./islands.ts";
import { postItems } from "./post-items.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, toSignIn } from "./session.ts";
import { cursor, fragment, moreOf } from "./timeline.ts";
import { summary } from "./views.ts";

function inputOf(form: Record<string, unknown>): ListInput {
  const policy = REPLIES_POLICIES.find((p) => p === form.repliesPolicy);
  return { title: typeof form.title === "string" ? form.title : "", repliesPolicy: policy ?? "list", exclusive: form.exclusive === "on" };
}

export function registerListPages(app: Hono, deps: RouteDeps): void {
  const { sql } = deps;

  async function listsPage(c: Context, accountId: string, error = false) {
    return page(c, ListsPage, {
      ...chromeOf(c, deps), lists: await listLists(sql, accountId), error: error ? t(chromeOf(c, deps).locale, "lists.invalid") : undefined,
    }, error ? 422 : 200);
  }

  async function listPage(c: Context, accountId: string, listId: string, error = false) {
    const list = await getList(sql, accountId, listId).catch(() => null);
    if (!list) return errorPage(c, deps, 404, "page.error.notFound");
    const opts = cursor(c);
    const [data, members, following, scripts] = await Promise.all([
      listTimeline(sql, accountId, list.id, opts), listMembers(sql, accountId, list.id, { limit: 0 }),
      listFollowing(sql, accountId, { limit: 80 }), islandUrls("infinite-scroll", "post-actions", "time-zone"),
    ]);
    const inList = new Set(members.items.map((m) => m.id));
    return page(c, ListPage, {
      ...chromeOf(c, deps),
      list,
      items: await postItems(deps, data!.items, accountId, "home"),
      more: moreOf(`/lists/${list.id}`, data!.nextMaxId),
      members: members.items.map((a) => ({ ...summary(deps, a), id: a.id })),
      candidates: following.items.filter((a) => !inList.has(a.id)).map((a) => ({ ...summary(deps, a), id: a.id })),
      error: error ? t(chromeOf(c, deps).locale, "lists.invalid") : undefined,
      path: `/lists/${list.id}`,
      scripts,
    }, error ? 422 : 200);
  }

  /** The signed-in person and the posted form with its CSRF token checked, or the response to send instead. */
  async function formOf(c: Context) {
    const user = c.get("page").user;
    if (!user) return { response: toSignIn(c, "/lists") };
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return { response: errorPage(c, deps, 403, "page.error.csrf") };
    return { accountId: user.account.id as string, form };
  }

  /** Runs a change to a list; one that is not the person's is not found, a bad title shows the form again. */
  async function change(c: Context, work: (accountId: string, form: Record<string, unknown>) => Promise<string>, onInvalid: (accountId: string) => Promise<Response>) {
    const r = await formOf(c);
    if (!r.accountId) return r.response;
    try {
      return c.redirect(await work(r.accountId, r.form), 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.status === 404) return errorPage(c, deps, 404, "page.error.notFound");
      return await onInvalid(r.accountId);
    }
  }

  app.get("/lists", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/lists");
    return await listsPage(c, user.account.id);
  });
  app.post("/lists", (c) => change(c, async (me, form) => `/lists/${(await createList(sql, me, inputOf(form))).id}`, (me) => listsPage(c, me, true)));

  app.get("/lists/:id{[0-9]{1,18}}", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, c.req.path);
    return await listPage(c, user.account.id, c.req.param("id"));
  });
  app.get("/lists/:id{[0-9]{1,18}}/more", async (c) => {
    const user = c.get("page").user;
    if (!user) return c.body(null, 401);
    const data = await listTimeline(sql, user.account.id, c.req.param("id"), cursor(c));
    if (!data) return c.body(null, 404);
    return await fragment(c, deps, `/lists/${c.req.param("id")}`, data, user.account.id, "home");
  });

  const id = (c: Context) => c.req.param("id")!;
  app.post("/lists/:id{[0-9]{1,18}}", (c) => change(c, async (me, form) => {
    await updateList(sql, me, id(c), inputOf(form));
    return `/lists/${id(c)}`;
  }, (me) => listPage(c, me, id(c), true)));
  app.post("/lists/:id{[0-9]{1,18}}/delete", (c) => change(c, async (me) => {
    await deleteList(sql, me, id(c));
    return "/lists";
  }, (me) => listsPage(c, me)));
  app.post("/lists/:id{[0-9]{1,18}}/members", (c) => change(c, async (me, form) => {
    await addListMembers(sql, me, id(c), [typeof form.accountId === "string" ? form.accountId : ""]);
    return `/lists/${id(c)}`;
  }, (me) => listPage(c, me, id(c), true)));
  app.post("/lists/:id{[0-9]{1,18}}/members/:account{[0-9]{1,18}}/delete", (c) => change(c, async (me) => {
    await removeListMembers(sql, me, id(c), [c.req.param("account")!]);
    return `/lists/${id(c)}`;
  }, (me) => listPage(c, me, id(c))));
}
