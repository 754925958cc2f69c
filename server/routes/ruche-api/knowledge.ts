// The knowledge base's API (issue #14): articles, questions and answers, group-wide search.
import type { Hono } from "hono";
import type { RouteDeps } from "../deps.ts";
import type { ApiEnv } from "../mastodon/auth.ts";
import { registerRucheArticles } from "./articles.ts";
import { registerRucheSearch } from "./search.ts";
import { registerRucheQuestions } from "./questions.ts";

export function registerRucheKnowledge(api: Hono<ApiEnv>, deps: RouteDeps): void {
  registerRucheArticles(api, deps);
  registerRucheQuestions(api, deps);
  registerRucheSearch(api, deps);
}
