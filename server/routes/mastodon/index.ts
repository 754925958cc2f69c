import type { Hono } from "hono";
import type { RouteDeps } from "../deps.ts";

export function registerMastodonApi(app: Hono, deps: RouteDeps): void {
  void app;
  void deps;
}
