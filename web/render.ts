// Turns a page component into the HTML document sent to the browser.
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";

export function renderPage(vnode: VNode<any>): string {
  return "<!doctype html>" + renderToString(vnode);
}
