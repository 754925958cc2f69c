// GET /settings/mutes: muted words, muted and blocked people, followed hashtags. POST /settings/mutes/words adds a
// word, /settings/mutes/words/:id/delete removes one; /settings/mutes/accounts/:id/mute|unmute|block|unblock (the
// "Mute" item of a post's menu and the profile menu's block and unblock come here too, with `next`). Muting someone leaves a notice on the next page
// with an "Undo" button. Mutes apply
// when reading (server/domain/timelines/mutes.ts); blocks everywhere (server/domain/blocks/blocks.ts).
import type { Context, Hono } from "hono";
import { findAccountById } from "../../domain/accounts/accounts.ts";
import { DomainError } from "../../domain/errors.ts";
import { followedTags } from "../../domain/posts/hashtags.ts";
import { block, listBlockedAccounts, unblock } from "../../domain/blocks/blocks.ts";
import { listMutedAccounts, listWordMutes, muteAccount, muteWord, unmuteAccount, unmuteWord } from "../../domain/timelines/mutes.ts";
import { MutesPage } from "../../../web/components/mutes.ts";
import { t } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { errorPage, page } from "./render.ts";
import { checkCsrf, chromeOf, safeNext, setFlash, toSignIn } from "./session.ts";
import { isolate } from "../../../web/components/names.ts";
import { summary } from "./views.ts";

export function registerMutePages(app: Hono, deps: RouteDeps): void {
  const { sql } = deps;

  async function mutesPage(c: Context, accountId: string, error?: string) {
    const [words, accounts, blocked, tags] = await Promise.all([listWordMutes(sql, accountId), listMutedAccounts(sql, accountId),
      listBlockedAccounts(sql, accountId, { limit: 80 }), followedTags(sql, accountId)]);
    return page(c, MutesPage, {
      ...chromeOf(c, deps),
      words,
      accounts: accounts.map((a) => ({ ...summary(deps, a), id: a.id })),
      blocked: blocked.items.map((a) => ({ ...summary(deps, a), id: a.id })),
      followedTags: tags.map((tag) => tag.name),
      error,
    }, error ? 422 : 200);
  }

  app.get("/settings/mutes", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/mutes");
    return await mutesPage(c, user.account.id);
  });

  app.post("/settings/mutes/words", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/mutes");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const phrase = typeof form.phrase === "string" ? form.phrase : "";
    try {
      await muteWord(sql, user.account.id, phrase, { wholeWord: form.wholeWord === "on" });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return await mutesPage(c, user.account.id, t(chromeOf(c, deps).locale, "timeline.muteWordInvalid"));
    }
    return c.redirect("/settings/mutes", 303);
  });

  app.post("/settings/mutes/words/:id{[0-9]{1,18}}/delete", async (c) => {
    const user = c.get("page").user;
    if (!user) return toSignIn(c, "/settings/mutes");
    const form = await c.req.parseBody();
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    await unmuteWord(sql, user.account.id, c.req.param("id"));
    return c.redirect("/settings/mutes", 303);
  });

  const accountActions = {
    mute: (viewerId: string, targetId: string) => muteAccount(sql, viewerId, targetId),
    unmute: (viewerId: string, targetId: string) => unmuteAccount(sql, viewerId, targetId),
    block: (viewerId: string, targetId: string) => block(sql, deps.config.origin, viewerId, targetId),
    unblock: (viewerId: string, targetId: string) => unblock(sql, viewerId, targetId),
  };
  for (const [action, apply] of Object.entries(accountActions)) {
    app.post(`/settings/mutes/accounts/:id{[0-9]{1,18}}/${action}`, async (c) => {
      const user = c.get("page").user;
      if (!user) return toSignIn(c, "/settings/mutes");
      const form = await c.req.parseBody();
      if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
      const target = await findAccountById(sql, c.req.param("id"));
      if (!target) return errorPage(c, deps, 404, "page.error.accountNotFound");
      try {
        await apply(user.account.id, target.id);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return errorPage(c, deps, e.status, "page.error.generic");
      }
      const next = safeNext(form.next ?? "/settings/mutes");
      const { locale } = chromeOf(c, deps);
      const name = isolate(target.displayName.trim() || target.username);
      setFlash(c, deps, action === "mute"
        ? { kind: "info", message: t(locale, "timeline.muted", { name }), undo: { action: `/settings/mutes/accounts/${target.id}/unmute`, label: t(locale, "timeline.undo"), next } }
        : { kind: "info", message: t(locale, "timeline.unmuted", { name }) });
      return c.redirect(next, 303);
    });
  }
}
