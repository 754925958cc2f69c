import type { Hono } from "hono";
import type { RouteDeps } from "../deps.ts";

export function registerPages(app: Hono, deps: RouteDeps): void {
  app.get("/", (c) => c.html(`<!doctype html><title>Ruche</title><h1>Ruche — ${deps.config.instanceName}</h1>`));
}
