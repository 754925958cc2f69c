// Mastodon's JSON errors: `{"error": "…"}` with an HTTP status that means what it says, plus `details` per field for
// validation failures (what masto.js and other clients read). Unknown errors never leak internals.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { getLogger } from "@logtape/logtape";
import { ZodError } from "zod";
import { DomainError } from "../../domain/errors.ts";

const logger = getLogger(["ruche", "api"]);

export const NOT_FOUND = "Record not found";

/** Our domain and schema field names → the parameter names a Mastodon client sent. */
const FIELD_NAMES: Record<string, string> = {
  displayName: "display_name", bio: "note", avatarUrl: "avatar", headerUrl: "header",
};

type ErrorCode = "ERR_INVALID" | "ERR_TOO_LONG" | "ERR_BLANK" | "ERR_TAKEN";
type Details = Record<string, { error: ErrorCode; description: string }[]>;

export function notFound(): DomainError {
  return new DomainError("not_found", 404, NOT_FOUND);
}

function humanise(field: string): string {
  const words = field.replace(/[_.[\]]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function validationFailed(c: Context, errors: { field: string; message: string; code: ErrorCode }[]): Response {
  const details: Details = {};
  for (const e of errors) (details[e.field] ??= []).push({ error: e.code, description: e.message });
  const summary = errors.map((e) => `${humanise(e.field)} ${e.message}`).join(", ");
  return c.json({ error: `Validation failed: ${summary}`, details }, 422);
}

function codeOf(domainCode: string): ErrorCode {
  if (domainCode.endsWith("_taken")) return "ERR_TAKEN";
  return "ERR_INVALID";
}

/** The API sub-application's error handler. */
export function onApiError(err: Error, c: Context): Response {
  if (err instanceof ZodError) {
    return validationFailed(c, err.issues.map((i) => ({
      field: i.path.length > 0 ? i.path.map(String).join(".") : "params",
      message: i.message,
      code: i.code === "too_big" ? "ERR_TOO_LONG" : "ERR_INVALID",
    })));
  }
  if (err instanceof DomainError) {
    if (err.status === 404) return c.json({ error: NOT_FOUND }, 404);
    if (err.status === 422 && err.field) {
      const field = FIELD_NAMES[err.field] ?? err.field;
      // Domain messages may start with the field ("displayName: at most 100 characters").
      const message = err.message.replace(/^[\w.]+: /, "");
      return validationFailed(c, [{ field, message, code: /at most/.test(message) ? "ERR_TOO_LONG" : codeOf(err.code) }]);
    }
    // Mastodon's `error` for apps, and our stable code for scripts and the web UI (clients ignore the extra field).
    return c.json({ error: err.status === 422 ? `Validation failed: ${err.message}` : err.message, error_code: err.code }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    return c.json({ error: status === 413 ? "Request entity too large" : err.message || "Bad request" }, status);
  }
  logger.error("Unexpected error on {method} {path}: {error}", { method: c.req.method, path: c.req.path, error: err });
  return c.json({ error: "Internal server error" }, 500);
}

export function apiNotFound(c: Context): Response {
  return c.json({ error: NOT_FOUND }, 404);
}
