import type { Context } from "hono";
import { h, type ComponentType, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { renderPage } from "../../../web/render.ts";
import { ErrorPage } from "../../../web/components/error.ts";
import { TimeZoneContext } from "../../../web/components/local-time.ts";
import { t, type MessageKey } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { chromeOf } from "./session.ts";

/** Components see the reader's time zone (web/components/local-time.ts) without it being threaded through them. */
function inReaderZone(c: Context, vnode: VNode<any>): VNode<any> {
  return h(TimeZoneContext.Provider, { value: c.get("page")?.timeZone ?? "UTC" }, vnode);
}

export function page<P>(c: Context, component: ComponentType<P>, props: P, status = 200): Response {
  return c.html(renderPage(inReaderZone(c, h(component as ComponentType<object>, props as object))), status as 200);
}

/** An HTML fragment for an island (more posts, a post after an action), rendered like a page. */
export function fragmentHtml(c: Context, vnode: VNode<any>): string {
  return renderToString(inReaderZone(c, vnode));
}

export function errorPage(c: Context, deps: RouteDeps, status: number, key: MessageKey): Response {
  const base = chromeOf(c, deps);
  return page(c, ErrorPage, { ...base, status, message: t(base.locale, key as never) }, status);
}
