// Messages in the web UI (issue #9 point 2): GET /messages (one's conversations, unread marked), /messages/new (write
// to one or several colleagues, here or in a sibling subsidiary), /messages/:id (a conversation as a chat, read on
// opening, with the form to answer), and the POST forms: send, answer, mute / unmute, hide, leave, read (the island's).
// A message is a direct post (posts.ts createPost, scope `direct`) naming its addressees, so who reads it is the
// audience rule's; the conversations are the domain's (conversations/). GET /live/messages is the `direct` stream
// of the streaming API for the page's island (web/islands/messages.ts), each event rendered here in the reader's
// language. Without JavaScript every page works with a reload.
import type { Context, Hono } from "hono";
import { h } from "preact";
import { z } from "zod";
import { type Account, findAccountByHandle, handleOf } from "../../domain/accounts/accounts.ts";
import {
  activeParticipants, addressBook, type ConversationRow, conversationMessages, conversationOfPost, getConversation,
  leaveConversation, listConversations, markConversationRead, removeConversation, setConversationMuted,
} from "../../domain/conversations/conversations.ts";
import { DomainError } from "../../domain/errors.ts";
import { localViewer } from "../../domain/audience/visibility.ts";
import { loadPost, loadPosts } from "../../domain/posts/post-views.ts";
import { createPost, POST_LIMITS } from "../../domain/posts/posts.ts";
import { resolveHandle } from "../../../federation/remote-actors.ts";
import {
  ConversationEntry, type ConversationItem, ConversationPage, MessageBubble, type MessageFormValues, MessagesPage, NewMessagePage,
} from "../../../web/components/messages.ts";
import { t, type Locale } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { serveSse } from "../mastodon/streaming/sse.ts";
import { channelOf } from "../mastodon/streaming/streams.ts";
import { formImages, imageBodyLimit, imageSaver } from "./form-images.ts";
import { islandUrls } from "./islands.ts";
import { postAuthor, postItem } from "./post-items.ts";
import { errorPage, fragmentHtml, page } from "./render.ts";
import { checkCsrf, chromeOf, setFlash, toSignIn } from "./session.ts";
import { localHost } from "./views.ts";
import { quietNotice } from "./quiet-notice.ts";
import { scheduleStatus } from "../../domain/quiet/scheduled.ts";
import { assertMayMarkUrgent, checkUrgentReason, mayMarkUrgent } from "../../domain/quiet/urgent.ts";
import { fullDate } from "../../../web/components/local-time.ts";

const PAGE = 20;
const MESSAGES = 40;
const MAX_RECIPIENTS = 20;
const ID = /^\d{1,18}$/;

const formSchema = z.object({ to: z.string().max(2000).default(""), text: z.string().default("") });

/** "alice, @bob@lyon.example; carol" → the handles, without their leading @, at most MAX_RECIPIENTS + 1. */
export function recipientHandles(to: string): string[] {
  return [...new Set(to.split(/[\s,;]+/).map((s) => s.trim().replace(/^@/, "")).filter((s) => s !== ""))].slice(0, MAX_RECIPIENTS + 1);
}

export function registerMessagePages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;
  const saveImages = imageSaver(deps);
  const host = localHost(deps);
  /** How a message names its addressee: `@alice` here, `@bob@lyon.example` elsewhere. */
  const mentionOf = (a: Account) => (a.domain == null ? `@${a.username}` : handleOf(a, host));

  async function conversationItems(accountId: string, rows: ConversationRow[]): Promise<ConversationItem[]> {
    const posts = new Map((await loadPosts(sql, rows.map((r) => r.lastPostId), localViewer(accountId))).map((p) => [p.id, p]));
    return rows.flatMap((r) => {
      const last = posts.get(r.lastPostId);
      return last ? [{ id: r.id, others: r.accounts.map((a) => postAuthor(deps, a)), last: postItem(deps, last, accountId), unread: r.unread, muted: r.muted }] : [];
    });
  }

  async function book(accountId: string) {
    return (await addressBook(sql, accountId, deps.data.siblings.list())).map((a) => ({ handle: handleOf(a, host).slice(1), name: a.displayName || a.username }));
  }

  /** The people named in the "To" field, or the message telling who could not be found. */
  async function resolveRecipients(locale: Locale, me: string, to: string): Promise<{ accounts: Account[] } | { error: string }> {
    const handles = recipientHandles(to);
    if (handles.length === 0) return { error: t(locale, "messages.error.noRecipient") };
    if (handles.length > MAX_RECIPIENTS) return { error: t(locale, "messages.error.tooMany", { max: MAX_RECIPIENTS }) };
    const out = new Map<string, Account>();
    for (const handle of handles) {
      const [user, domain] = handle.split("@");
      const local = !domain || domain.toLowerCase() === host.toLowerCase();
      const account = local ? await findAccountByHandle(sql, user, null) : await resolveHandle(deps.context(), `@${handle}`).catch(() => null);
      if (!account) return { error: t(locale, "messages.error.unknown", { who: handle }) };
      if (account.id !== me) out.set(account.id, account);
    }
    if (out.size === 0) return { error: t(locale, "messages.error.noRecipient") };
    return { accounts: [...out.values()] };
  }

  function signedIn(c: Context) {
    return c.get("page").user;
  }

  app.get("/messages", async (c) => {
    const user = signedIn(c);
    if (!user) return toSignIn(c, "/messages");
    const maxId = c.req.query("max_id");
    const list = await listConversations(sql, user.account.id, { limit: PAGE, maxId: maxId && ID.test(maxId) ? maxId : undefined });
    return page(c, MessagesPage, {
      ...chromeOf(c, deps),
      items: await conversationItems(user.account.id, list.items),
      olderHref: list.nextMaxId ? `/messages?max_id=${list.nextMaxId}` : null,
      scripts: await islandUrls("messages"),
    });
  });

  /** Whether the people written to are off now, and what the composer then says (quiet-notice.ts). */
  async function quietFor(c: Context, recipients: Account[]) {
    const { locale } = chromeOf(c, deps);
    return recipients.length > 0 ? await quietNotice(deps, locale, c.get("page").timeZone ?? "UTC", recipients) : null;
  }

  async function newMessagePage(c: Context, accountId: string, values: MessageFormValues, errors: string[] = [], status = 200) {
    const named = values.to.trim() ? await resolveRecipients(chromeOf(c, deps).locale, accountId, values.to) : null;
    const quiet = named && "accounts" in named ? await quietFor(c, named.accounts) : null;
    return page(c, NewMessagePage, {
      ...chromeOf(c, deps), book: await book(accountId), values, errors, scripts: await islandUrls("composer"), quiet: quiet?.notice,
      urgentAllowed: await mayMarkUrgent(sql, accountId),
    }, status);
  }

  app.get("/messages/new", async (c) => {
    const user = signedIn(c);
    if (!user) return toSignIn(c, "/messages/new");
    const to = (c.req.query("to") ?? "").slice(0, 2000);
    return await newMessagePage(c, user.account.id, { to, text: "" });
  });

  /** Saves the images and writes the direct post; a DomainError or refused image is a message for the form. */
  async function send(c: Context, accountId: string, form: Record<string, string | File>, recipients: Account[], text: string,
    inReplyToId: string | null): Promise<{ postId: string } | { scheduledAt: Date } | { error: string }> {
    const { locale } = chromeOf(c, deps);
    const images = formImages(form);
    if (text.trim() === "" && images.length === 0) return { error: t(locale, "posts.error.empty") };
    const body = `${recipients.map(mentionOf).join(" ")} ${text}`;
    if (body.length > POST_LIMITS.text) return { error: t(locale, "posts.error.tooLong", { max: POST_LIMITS.text }) };
    const saved = await saveImages(accountId, images, locale);
    if ("error" in saved) return saved;
    try {
      // Urgent (issue #15): the role and a reason, checked before anything is stored; it goes now, whatever the hour.
      let urgentReason: string | null = null;
      if (form.urgent === "on") {
        await assertMayMarkUrgent(sql, accountId);
        urgentReason = checkUrgentReason(form.urgent_reason);
      }
      // "Send at their next working hour": a scheduled status at the start of it.
      const later = form.when === "later" && !urgentReason ? await quietFor(c, recipients) : null;
      if (later) {
        await scheduleStatus(sql, accountId, { text: body, visibility: "direct", inReplyToId, mediaIds: saved.mediaIds }, later.until, deps.clock.now());
        return { scheduledAt: later.until };
      }
      const post = await createPost(sql, config.origin, accountId, { text: body, visibility: "direct", inReplyToId, mediaIds: saved.mediaIds, urgentReason });
      return { postId: post.id };
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.code === "urgent_reason_required") return { error: t(locale, "quiet.error.urgentReason") };
      return { error: t(locale, "posts.error.invalid", { reason: e.message }) };
    }
  }

  app.post("/messages", imageBodyLimit(deps), async (c) => {
    const user = signedIn(c);
    if (!user) return toSignIn(c, "/messages/new");
    const form = (await c.req.parseBody()) as Record<string, string | File>;
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const { locale } = chromeOf(c, deps);
    const values = formSchema.parse(Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === "string")));
    const recipients = await resolveRecipients(locale, user.account.id, values.to);
    if ("error" in recipients) return await newMessagePage(c, user.account.id, values, [recipients.error], 422);
    const sent = await send(c, user.account.id, form, recipients.accounts, values.text, null);
    if ("error" in sent) return await newMessagePage(c, user.account.id, values, [sent.error], 422);
    if ("scheduledAt" in sent) return scheduledFlash(c, sent.scheduledAt, "/messages");
    const conversation = await conversationOfPost(sql, user.account.id, sent.postId);
    return c.redirect(conversation ? `/messages/${conversation}#message-${sent.postId}` : "/messages", 303);
  });

  function scheduledFlash(c: Context, at: Date, to: string) {
    const { locale } = chromeOf(c, deps);
    setFlash(c, deps, { kind: "info", message: t(locale, "quiet.scheduledFlash", { when: fullDate(locale, at, c.get("page").timeZone ?? "UTC") }) });
    return c.redirect(to, 303);
  }

  async function conversationPage(c: Context, accountId: string, row: ConversationRow, values?: MessageFormValues, errors: string[] = [], status = 200) {
    const maxId = c.req.query("max_id");
    const ids = await conversationMessages(sql, accountId, row.id, { limit: MESSAGES, maxId: maxId && ID.test(maxId) ? maxId : undefined });
    const posts = await loadPosts(sql, ids, localViewer(accountId));
    // Opening the newest page reads the conversation (up to what it shows, which is its newest message).
    if (row.unread && !maxId) await markConversationRead(sql, accountId, row.id);
    const base = chromeOf(c, deps);
    return page(c, ConversationPage, {
      ...base,
      unreadMessages: row.unread && !maxId ? Math.max(0, (base.unreadMessages ?? 0) - 1) : base.unreadMessages,
      conversation: { id: row.id, others: row.accounts.map((a) => postAuthor(deps, a)), muted: row.muted },
      messages: posts.map((p) => postItem(deps, p, accountId)),
      viewerId: accountId,
      olderHref: ids.length === MESSAGES ? `/messages/${row.id}?max_id=${ids[0]}` : null,
      values,
      errors,
      scripts: await islandUrls("messages", "composer"),
      quiet: (await quietFor(c, await activeParticipants(sql, accountId, row.id)))?.notice,
      urgentAllowed: await mayMarkUrgent(sql, accountId),
    }, status);
  }

  app.get("/messages/:id{[0-9]{1,18}}", async (c) => {
    const user = signedIn(c);
    if (!user) return toSignIn(c, new URL(c.req.url).pathname);
    const row = await getConversation(sql, user.account.id, c.req.param("id"));
    if (!row) return errorPage(c, deps, 404, "page.error.notFound");
    return await conversationPage(c, user.account.id, row);
  });

  // An answer addresses everyone still in the conversation and answers its newest message (so it stays in the thread).
  app.post("/messages/:id{[0-9]{1,18}}", imageBodyLimit(deps), async (c) => {
    const user = signedIn(c);
    if (!user) return toSignIn(c, new URL(c.req.url).pathname);
    const form = (await c.req.parseBody()) as Record<string, string | File>;
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const row = await getConversation(sql, user.account.id, c.req.param("id"));
    if (!row) return errorPage(c, deps, 404, "page.error.notFound");
    const values = formSchema.parse(Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === "string")));
    const recipients = await activeParticipants(sql, user.account.id, row.id);
    if (recipients.length === 0) return await conversationPage(c, user.account.id, row, values, [t(chromeOf(c, deps).locale, "messages.error.noRecipient")], 422);
    const sent = await send(c, user.account.id, form, recipients, values.text, row.lastPostId);
    if ("error" in sent) return await conversationPage(c, user.account.id, row, values, [sent.error], 422);
    if ("scheduledAt" in sent) return scheduledFlash(c, sent.scheduledAt, `/messages/${row.id}`);
    const conversation = (await conversationOfPost(sql, user.account.id, sent.postId)) ?? row.id;
    return c.redirect(`/messages/${conversation}#message-${sent.postId}`, 303);
  });

  const ACTIONS = {
    mute: { run: (me: string, id: string) => setConversationMuted(sql, me, id, true), flash: "messages.flash.muted", stay: true },
    unmute: { run: (me: string, id: string) => setConversationMuted(sql, me, id, false), flash: "messages.flash.unmuted", stay: true },
    hide: { run: (me: string, id: string) => removeConversation(sql, me, id), flash: "messages.flash.hidden", stay: false },
    leave: { run: (me: string, id: string) => leaveConversation(sql, me, id), flash: "messages.flash.left", stay: false },
  } as const;
  for (const [name, action] of Object.entries(ACTIONS)) {
    app.post(`/messages/:id{[0-9]{1,18}}/${name}`, async (c) => {
      const user = signedIn(c);
      if (!user) return toSignIn(c, "/messages");
      const form = (await c.req.parseBody()) as Record<string, string>;
      if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
      const id = c.req.param("id")!;
      if (!(await action.run(user.account.id, id))) return errorPage(c, deps, 404, "page.error.notFound");
      setFlash(c, deps, { kind: "info", message: t(chromeOf(c, deps).locale, action.flash) });
      return c.redirect(action.stay ? `/messages/${id}` : "/messages", 303);
    });
  }

  // The island reads a message that arrived while the conversation was open.
  app.post("/messages/:id{[0-9]{1,18}}/read", async (c) => {
    const user = signedIn(c);
    if (!user) return c.body(null, 401);
    const form = (await c.req.parseBody()) as Record<string, string>;
    if (!(await checkCsrf(c, form))) return c.body(null, 403);
    return c.body(null, (await markConversationRead(sql, user.account.id, c.req.param("id")!)) ? 204 : 404);
  });

  // The `direct` stream, as the signed-in person, each Conversation event rendered for the page: the conversation's
  // entry in the list and its newest message as a bubble (both read through the domain, as this person).
  app.get("/live/messages", async (c) => {
    const { user, locale } = c.get("page");
    if (!user) return c.json({ error: "Sign in to follow your messages" }, 401);
    const viewer = { accountId: user.account.id, scopes: ["read:statuses"], user };
    const channel = channelOf("direct", {}, viewer, { anonymousPublic: false });
    return serveSse(c, deps.streaming, viewer, channel, async (stream, m) => {
      if (m.event !== "conversation" || !m.payload) return;
      const { id } = JSON.parse(m.payload) as { id: string };
      const row = await getConversation(sql, user.account.id, id);
      if (!row) return;
      const [item] = await conversationItems(user.account.id, [row]);
      const post = await loadPost(sql, row.lastPostId, localViewer(user.account.id));
      if (!item || !post) return;
      const message = fragmentHtml(c, h(MessageBubble, { locale, message: postItem(deps, post, user.account.id), own: post.account.id === user.account.id }));
      const entry = fragmentHtml(c, h(ConversationEntry, { locale, item }));
      await stream.writeSSE({ event: "conversation", data: JSON.stringify({ conversationId: row.id, postId: post.id, unread: row.unread, message, entry }) });
    });
  });
}
