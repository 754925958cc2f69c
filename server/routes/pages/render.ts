import type { Context } from "hono";
import { h, type ComponentType } from "preact";
import { renderPage } from "../../../web/render.ts";
import { ErrorPage } from "../../../web/components/error.ts";
import { t, type MessageKey } from "../../../web/i18n/index.ts";
import type { RouteDeps } from "../deps.ts";
import { chromeOf } from "./session.ts";

export function page<P>(c: Context, component: ComponentType<P>, props: P, status = 200): Response {
  return c.html(renderPage(h(component as ComponentType<object>, props as object)), status as 200);
}

export function errorPage(c: Context, deps: RouteDeps, status: number, key: MessageKey): Response {
  const base = chromeOf(c, deps);
  return page(c, ErrorPage, { ...base, status, message: t(base.locale, key as never) }, status);
}
