// Posts in the web UI: the thread page (/@alice/123, /@bob@lyon.example/456; /posts/:id redirects there),
// writing (POST /posts, multipart with up to four images and their descriptions), editing, deleting, and the
// one-button actions (like, boost, bookmark, pin and their undo). Every POST checks the CSRF token; every read
// and action passes the viewer to the domain, which enforces visibility (a post you cannot read is a 404).
// Actions answer with a redirect back (no JavaScript), or with the post's fresh HTML when the post-actions island
// asks for it (`X-Ruche-Fragment: post`).
import type { Context, Hono } from "hono";
import { h } from "preact";
import { z } from "zod";
import { DomainError } from "../../domain/errors.ts";
import { bookmark, boost, like, pin, unbookmark, unboost, unlike, unpin } from "../../domain/posts/interactions.ts";
import { loadPost, type PostView } from "../../domain/posts/post-views.ts";
import { createPost, deletePost, editPost, POST_LIMITS, postLength, type PostPorts } from "../../domain/posts/posts.ts";
import { threadContext } from "../../domain/timelines/timelines.ts";
import { localViewer, narrowest, VISIBILITIES } from "../../domain/audience/visibility.ts";
import { resolveHandle } from "../../../federation/remote-actors.ts";
import type { ComposerValues } from "../../../web/components/composer.ts";
import { COMPOSER_POLL_OPTIONS, type ComposerPollValues, DEFAULT_POLL_DURATION, POLL_DURATIONS } from "../../../web/components/poll.ts";
import { castVote, POLL_LIMITS, VOTE_ERRORS } from "../../domain/polls/polls.ts";
import { PostCard, type PostVariant } from "../../../web/components/post.ts";
import { ComposePage } from "../../../web/components/post-edit.ts";
import { ThreadPage } from "../../../web/components/thread.ts";
import { t, type Locale } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { formImages, imageBodyLimit, imageSaver } from "./form-images.ts";
import { islandUrls } from "./islands.ts";
import { postItem, postItems, threadPath } from "./post-items.ts";
import { errorPage, fragmentHtml, page } from "./render.ts";
import { checkCsrf, chromeOf, requireUser, safeNext, toSignIn } from "./session.ts";
import { composerDefaults, idempotencyKey, viewerOf } from "./timeline.ts";
import { localHost } from "./views.ts";

const ACTIONS = ["like", "unlike", "boost", "unboost", "bookmark", "unbookmark", "pin", "unpin", "delete"] as const;
type Action = (typeof ACTIONS)[number];

const formSchema = z.object({
  text: z.string().default(""),
  summary: z.string().default(""),
  visibility: z.enum(VISIBILITIES).catch("internal"),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/).nullable().catch(null),
  markdown: z.string().optional(),
  inReplyToId: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
  groupId: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
  idempotencyKey: z.string().min(1).max(200).optional().catch(undefined),
  next: z.string().optional(),
});

type Form = Record<string, string | File>;

function str(form: Form, name: string): string | undefined {
  const v = form[name];
  return typeof v === "string" ? v : undefined;
}

/** The form's fields (files left aside), read with the schema; bad optional values fall back to defaults. */
function readForm(form: Form) {
  const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === "string"));
  return formSchema.parse(fields);
}

function valuesOf(f: ReturnType<typeof readForm>, locale: Locale, form: Form = {}): ComposerValues {
  return {
    text: f.text, summary: f.summary, visibility: f.visibility, language: f.language ?? locale, markdown: f.markdown === "on",
    poll: pollValues(form),
  };
}

/** The composer's poll fields, or null when no answer was written (no poll). */
function pollValues(form: Form): ComposerPollValues | null {
  const options = Array.from({ length: COMPOSER_POLL_OPTIONS }, (_, i) => (str(form, `pollOption${i + 1}`) ?? "").trim()).filter((o) => o !== "");
  if (options.length === 0) return null;
  const duration = Number(str(form, "pollDuration"));
  return {
    options, duration: (POLL_DURATIONS as readonly number[]).includes(duration) ? duration : DEFAULT_POLL_DURATION,
    multiple: str(form, "pollMultiple") === "on", hideTotals: str(form, "pollHideTotals") === "on",
  };
}

/** The vote refusals people can meet in the pages, in their language (the domain's messages are Mastodon's). */
const VOTE_ERROR_KEYS = {
  [VOTE_ERRORS.expired]: "polls.error.expired", [VOTE_ERRORS.selfVote]: "polls.error.selfVote",
  [VOTE_ERRORS.alreadyVoted]: "polls.error.alreadyVoted", [VOTE_ERRORS.invalidChoice]: "polls.error.invalidChoice",
  [VOTE_ERRORS.noChoice]: "polls.error.invalidChoice", [VOTE_ERRORS.oneChoice]: "polls.error.oneChoice",
} as const;

/** The problems of a submission that can be told before anything is stored. */
function check(locale: Locale, v: ComposerValues, imageCount: number): string[] {
  const errors: string[] = [];
  if (v.text.trim() === "" && imageCount === 0) errors.push(t(locale, "posts.error.empty"));
  if (postLength(v.text) > POST_LIMITS.text) errors.push(t(locale, "posts.error.tooLong", { max: POST_LIMITS.text }));
  if (v.summary.length > POST_LIMITS.summary) errors.push(t(locale, "posts.error.summaryTooLong", { max: POST_LIMITS.summary }));
  const options = v.poll?.options ?? [];
  if (v.poll && (options.length < 2 || new Set(options).size !== options.length || options.some((o) => o.length > POLL_LIMITS.max_characters_per_option))) {
    errors.push(t(locale, "polls.error.options", { max: POLL_LIMITS.max_characters_per_option }));
  }
  return errors;
}

/** `@alice` or `@bob@lyon.example:8443` as written in the post's path, compared with the post's author. */
function samePath(deps: RouteDeps, param: string, post: PostView): boolean {
  const path = threadPath(deps, post);
  return path.slice(0, path.lastIndexOf("/")).toLowerCase() === `/${decodeURIComponent(param)}`.toLowerCase()
    || (post.account.domain == null && decodeURIComponent(param).toLowerCase() === `@${post.account.username}@${localHost(deps)}`.toLowerCase());
}

function wantsActivityJson(c: Context): boolean {
  const accept = c.req.header("accept") ?? "";
  return accept.includes("application/activity+json") || accept.includes("application/ld+json");
}

export function registerPostPages(app: Hono, deps: RouteDeps): void {
  const { sql, config } = deps;
  const ports: PostPorts = { resolveMention: (handle) => resolveHandle(deps.context(), handle) };
  const saveImages = imageSaver(deps);

  /** The page with the composer alone: a new post, or a submission to fix (status 422), or an edit. */
  async function composePage(c: Context, opts: {
    values?: Partial<ComposerValues>; errors?: string[]; replyTo?: PostView | null; returnTo?: string; status?: number;
    edit?: PostView;
  }): Promise<Response> {
    const base = chromeOf(c, deps);
    const { viewerId } = viewerOf(c);
    const reply = opts.replyTo ? postItem(deps, opts.replyTo, viewerId) : null;
    return page(c, ComposePage, {
      ...base,
      replyTo: reply,
      scripts: await islandUrls("composer"),
      composer: {
        returnTo: opts.returnTo ?? (reply ? reply.path : "/"),
        limits: POST_LIMITS,
        values: opts.values,
        errors: opts.errors,
        replyTo: reply ? { id: reply.id, name: reply.author.displayName || reply.author.handle } : null,
        edit: opts.edit ? { id: opts.edit.id, scope: opts.edit.visibility, images: postItem(deps, opts.edit, viewerId).media } : null,
        idempotencyKey: opts.edit ? undefined : idempotencyKey(),
      },
    }, opts.status ?? 200);
  }

  // ---- Reading -------------------------------------------------------------------------------------------

  // A post the reader may not read: signed out, it may be an internal post shared by a link, so the sign-in page
  // comes first and leads back to it (issue #8 point 11) — for any such link, so that it tells nothing about which
  // posts exist. Signed in, or asked by a server, it is not found.
  const notReadable = (c: Context) =>
    !c.get("page").user && !wantsActivityJson(c) ? toSignIn(c) : errorPage(c, deps, 404, "posts.notFound");

  app.get("/:handle{@[^/]+}/:id{[0-9]{1,18}}", async (c) => {
    const { viewer, viewerId } = viewerOf(c);
    const post = await loadPost(sql, c.req.param("id"), viewer);
    if (!post) return notReadable(c);
    // A boost has no page of its own: its original has.
    if (post.reblog) return c.redirect(threadPath(deps, post.reblog), 302);
    if (wantsActivityJson(c)) return c.redirect(post.iri, 302);
    if (!samePath(deps, c.req.param("handle"), post)) return c.redirect(threadPath(deps, post), 301);
    const [context, scripts] = await Promise.all([threadContext(sql, viewer, post.id), islandUrls("composer", "post-actions")]);
    const base = chromeOf(c, deps);
    const defaults = composerDefaults(c);
    const item = postItem(deps, post, viewerId);
    const self = viewerId === post.account.id;
    const prefill = self ? "" : `@${post.account.domain == null ? post.account.username : `${post.account.username}@${post.account.domain}`} `;
    return page(c, ThreadPage, {
      ...base,
      post: item,
      ancestors: await postItems(deps, context?.ancestors ?? [], viewerId, "thread"),
      descendants: await postItems(deps, context?.descendants ?? [], viewerId, "thread"),
      composer: viewerId
        ? {
            returnTo: item.path, limits: POST_LIMITS, replyTo: { id: post.id, name: item.author.displayName || item.author.handle },
            values: { text: prefill, visibility: narrowest(defaults.visibility, post.visibility), language: post.language ?? defaults.language },
            idempotencyKey: idempotencyKey(), idPrefix: "reply",
          }
        : null,
      scripts,
    });
  });

  app.get("/posts/:id{[0-9]{1,18}}", async (c) => {
    const post = await loadPost(sql, c.req.param("id"), viewerOf(c).viewer);
    if (!post) return notReadable(c);
    return c.redirect(threadPath(deps, post.reblog ?? post), 302);
  });

  // ---- Writing -------------------------------------------------------------------------------------------

  app.get("/posts/new", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const replyId = c.req.query("in_reply_to");
    const replyTo = replyId ? await loadPost(sql, replyId, viewerOf(c).viewer) : null;
    const defaults = composerDefaults(c);
    return await composePage(c, { replyTo, values: replyTo ? { ...defaults, visibility: narrowest(defaults.visibility, replyTo.visibility) } : defaults });
  });

  const postBodyLimit = imageBodyLimit(deps);

  app.post("/posts", postBodyLimit, async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = (await c.req.parseBody()) as Form;
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const { locale } = chromeOf(c, deps);
    const f = readForm(form);
    const values = valuesOf(f, locale, form);
    const replyTo = f.inReplyToId ? await loadPost(sql, f.inReplyToId, viewerOf(c).viewer) : null;
    if (f.inReplyToId && !replyTo) return errorPage(c, deps, 404, "posts.notFound");
    const returnTo = safeNext(f.next);
    const images = formImages(form);
    const errors = check(locale, values, images.length);
    if (errors.length > 0) return await composePage(c, { values, errors, replyTo, returnTo, status: 422 });
    const saved = await saveImages(r.user.account.id, images, locale);
    if ("error" in saved) return await composePage(c, { values, errors: [saved.error], replyTo, returnTo, status: 422 });
    const { mediaIds } = saved;
    try {
      const post = await createPost(sql, config.origin, r.user.account.id, {
        text: values.text, summary: values.summary, visibility: values.visibility, language: f.language,
        sourceType: values.markdown ? "text/markdown" : "text/plain", inReplyToId: f.inReplyToId ?? null, mediaIds,
        idempotencyKey: f.idempotencyKey, groupId: f.groupId ?? null,
        poll: values.poll ? { options: values.poll.options, expiresIn: values.poll.duration, multiple: values.poll.multiple, hideTotals: values.poll.hideTotals } : null,
      }, ports);
      return c.redirect(`${returnTo}#post-${post.id}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.status === 404) return errorPage(c, deps, 404, "posts.notFound");
      return await composePage(c, { values, errors: [t(locale, "posts.error.invalid", { reason: e.message })], replyTo, returnTo, status: 422 });
    }
  });

  /** One of the viewer's own local posts, for editing. */
  async function ownPost(c: Context, userId: string): Promise<PostView | null> {
    const post = await loadPost(sql, c.req.param("id") ?? "", viewerOf(c).viewer);
    return post && !post.reblog && post.local && post.account.id === userId ? post : null;
  }

  app.get("/posts/:id{[0-9]{1,18}}/edit", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const post = await ownPost(c, r.user.account.id);
    if (!post) return errorPage(c, deps, 404, "posts.notFound");
    return await composePage(c, {
      edit: post, returnTo: threadPath(deps, post),
      values: { text: post.source, summary: post.summary, language: post.language ?? "", markdown: post.sourceType === "text/markdown" },
    });
  });

  app.post("/posts/:id{[0-9]{1,18}}/edit", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = (await c.req.parseBody()) as Form;
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const post = await ownPost(c, r.user.account.id);
    if (!post) return errorPage(c, deps, 404, "posts.notFound");
    const { locale } = chromeOf(c, deps);
    const f = readForm(form);
    const values = { ...valuesOf(f, locale), visibility: post.visibility };
    const errors = check(locale, values, post.media.length);
    const returnTo = threadPath(deps, post);
    if (errors.length > 0) return await composePage(c, { edit: post, values, errors, returnTo, status: 422 });
    try {
      await editPost(sql, config.origin, post.id, r.user.account.id, {
        text: values.text, summary: values.summary, language: f.language, sourceType: values.markdown ? "text/markdown" : "text/plain",
      }, ports);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return await composePage(c, { edit: post, values, errors: [t(locale, "posts.error.invalid", { reason: e.message })], returnTo, status: 422 });
    }
    return c.redirect(returnTo, 303);
  });

  // ---- Voting in a poll -----------------------------------------------------------------------------------

  // The vote form of a poll (web/components/poll.ts): `choice` once (radio) or several times (checkboxes). The rules
  // are the domain's; a refusal is a page saying why, in the reader's language.
  app.post("/posts/:id{[0-9]{1,18}}/vote", async (c) => {
    const r = requireUser(c);
    if (!r.user) return r.redirect;
    const form = await c.req.parseBody({ all: true });
    if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
    const raw = form.choice;
    const choices = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
      .filter((v): v is string => typeof v === "string" && /^\d{1,2}$/.test(v)).map(Number);
    const post = await loadPost(sql, c.req.param("id"), viewerOf(c).viewer);
    if (!post?.poll) return errorPage(c, deps, 404, "posts.notFound");
    try {
      await castVote(sql, { postId: post.id, voterId: r.user.account.id, viewer: localViewer(r.user.account.id), choices });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (e.status === 404) return errorPage(c, deps, 404, "posts.notFound");
      return errorPage(c, deps, 422, VOTE_ERROR_KEYS[e.message as keyof typeof VOTE_ERROR_KEYS] ?? "posts.error.action");
    }
    const next = form.next;
    return c.redirect(safeNext(typeof next === "string" ? next : undefined), 303);
  });

  // ---- One-button actions ----------------------------------------------------------------------------------

  async function run(action: Action, accountId: string, postId: string): Promise<void> {
    const { origin } = config;
    switch (action) {
      case "like": await like(sql, origin, accountId, postId); return;
      case "unlike": await unlike(sql, accountId, postId); return;
      case "boost": await boost(sql, origin, accountId, postId); return;
      case "unboost": await unboost(sql, accountId, postId); return;
      case "bookmark": await bookmark(sql, accountId, postId); return;
      case "unbookmark": await unbookmark(sql, accountId, postId); return;
      case "pin": await pin(sql, accountId, postId); return;
      case "unpin": await unpin(sql, accountId, postId); return;
      case "delete": await deletePost(sql, postId, accountId, config.dataDir); return;
    }
  }

  for (const action of ACTIONS) {
    app.post(`/posts/:id{[0-9]{1,18}}/${action}`, async (c) => {
      const r = requireUser(c);
      if (!r.user) return r.redirect;
      const form = (await c.req.parseBody()) as Form;
      if (!(await checkCsrf(c, form))) return errorPage(c, deps, 403, "page.error.csrf");
      const id = c.req.param("id");
      const { viewer, viewerId } = viewerOf(c);
      const before = action === "delete" ? await loadPost(sql, id, viewer) : null;
      try {
        await run(action, r.user.account.id, id);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return errorPage(c, deps, e.status, e.status === 404 ? "posts.notFound" : "posts.error.action");
      }
      const next = safeNext(str(form, "next"));
      if (c.req.header("x-ruche-fragment") === "post") {
        if (action === "delete") return c.html("", 200, { "Cache-Control": "no-store" });
        // The island says which entry it shows: the post itself, or someone's boost of it.
        const itemId = str(form, "item") ?? id;
        const shown = (itemId !== id ? await loadPost(sql, itemId, viewer) : null) ?? await loadPost(sql, id, viewer);
        if (!shown || (shown.id !== id && shown.reblog?.id !== id)) return c.body(null, 404);
        const variant = (["feed", "focus", "ancestor"] as const).find((v) => v === str(form, "variant")) ?? "feed";
        const { locale, csrf } = chromeOf(c, deps);
        return c.html(fragmentHtml(c, h(PostCard, {
          locale, csrf, post: postItem(deps, shown, viewerId), returnTo: next.split("#")[0], variant: variant as PostVariant,
        })), 200, { "Cache-Control": "no-store" });
      }
      // Without JavaScript: back where the button was, unless that was the deleted post's own page.
      if (action === "delete" && before && next.split("#")[0] === threadPath(deps, before)) return c.redirect("/", 303);
      return c.redirect(next, 303);
    });
  }
}
