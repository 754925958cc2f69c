// /.well-known/host-meta (XRD) and host-meta.json (JRD), RFC 6415: where this server's WebFinger is. Some clients
// and older servers look here before asking WebFinger (Mastodon still serves both); the template is the only link.
// WebFinger itself is Fedify's (federation/builder.ts).
import type { Hono } from "hono";
import type { RouteDeps } from "./deps.ts";

export function registerWellKnown(app: Hono, deps: RouteDeps): void {
  const template = `${deps.config.origin}/.well-known/webfinger?resource={uri}`;
  const xml = template.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const headers = { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=86400" };
  app.get("/.well-known/host-meta", (c) => c.body(`<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="${xml}"/>
</XRD>
`, 200, { ...headers, "Content-Type": "application/xrd+xml; charset=utf-8" }));
  app.get("/.well-known/host-meta.json", (c) =>
    c.json({ links: [{ rel: "lrdd", template }] }, 200, { ...headers, "Content-Type": "application/jrd+json; charset=utf-8" }));
}
