import type { ValidationIssue } from "../auth.js";
import type { HttpResponse } from "./types.js";

/** Every error code the HTTP layer answers with, and the message it carries by default. */
export const ERROR_MESSAGES = {
  invalid_request: "The request is invalid",
  invalid_json: "The request body is not valid JSON",
  payload_too_large: "The request body is too large",
  unsupported_media_type: "The request body must be JSON (Content-Type: application/json)",
  invalid_credentials: "Invalid name or password",
  rate_limited: "Too many attempts; retry later",
  invalid_token: "Access token is missing, invalid or expired",
  token_locked: "Access token is locked",
  ambiguous_token: "The request carries more than one different access token",
  csrf_rejected: "Cross-site request rejected",
  already_unlocked: "Access token is already unlocked",
  invalid_code: "The code is invalid",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  name_taken: "That name is already taken",
  mfa_already_enabled: "Multi-factor authentication is already enabled",
  mfa_not_pending: "No TOTP enrolment is in progress; start one with POST /mfa/totp",
  mfa_not_enabled: "Multi-factor authentication is not enabled",
  store_unavailable: "The session store is unavailable",
  busy: "The server is busy; retry shortly",
  internal_error: "Internal error",
} as const;

export type HttpErrorCode = keyof typeof ERROR_MESSAGES;

export interface ErrorExtras {
  readonly message?: string;
  readonly issues?: readonly ValidationIssue[];
  readonly attemptsRemaining?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Fields beside `error` at the top level (`{ logged: false }` on `GET /login`). */
  readonly top?: Readonly<Record<string, unknown>>;
}

export function errorResponse(status: number, code: HttpErrorCode, extras: ErrorExtras = {}): HttpResponse {
  const error: Record<string, unknown> = { code, message: extras.message ?? ERROR_MESSAGES[code] };
  if (extras.issues) error["issues"] = extras.issues;
  if (extras.attemptsRemaining !== undefined) error["attemptsRemaining"] = extras.attemptsRemaining;
  return { status, headers: { ...extras.headers }, body: { ...extras.top, error } };
}

export function jsonResponse(status: number, body: unknown, headers: Readonly<Record<string, string | readonly string[]>> = {}): HttpResponse {
  return { status, headers, body };
}

export function rateLimited(retryAfterSeconds: number): HttpResponse {
  return errorResponse(429, "rate_limited", { headers: { "retry-after": String(retryAfterSeconds) } });
}

/** Every failure an engine method can return (`{ ok: false, code, … }`). */
export interface EngineFailure {
  readonly ok: false;
  readonly code: keyof typeof FAILURE_STATUS;
  readonly retryAfterSeconds?: number;
  readonly attemptsRemaining?: number;
  readonly issues?: readonly ValidationIssue[];
}

/** The one place that decides the status of each result code (DESIGN §5). */
const FAILURE_STATUS = {
  invalid_request: 400,
  invalid_credentials: 401,
  invalid_code: 401,
  invalid_token: 401,
  // The session's user vanished (deleted meanwhile): to the client, its token is simply dead.
  user_not_found: 401,
  token_locked: 403,
  already_unlocked: 409,
  name_taken: 409,
  mfa_already_enabled: 409,
  mfa_not_pending: 409,
  mfa_not_enabled: 409,
  rate_limited: 429,
} as const;

/** The response for an engine failure, with what each kind carries (`Retry-After`, `issues`, …). */
export function failureResponse(failure: EngineFailure, message?: string): HttpResponse {
  if (failure.code === "rate_limited") return rateLimited(failure.retryAfterSeconds ?? 1);
  const code: HttpErrorCode = failure.code === "user_not_found" ? "invalid_token" : failure.code;
  return errorResponse(FAILURE_STATUS[failure.code], code, {
    ...(message === undefined ? {} : { message }),
    ...(failure.issues === undefined ? {} : { issues: failure.issues }),
    ...(failure.attemptsRemaining === undefined ? {} : { attemptsRemaining: failure.attemptsRemaining }),
  });
}

/** Times cross the wire as ISO 8601 strings. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The answer for a failure the framework glue caught itself (core's own entry points never
 * reject): JSON, no stack, no cause. Framework packages send it instead of their HTML/text pages.
 */
export function internalErrorResponse(): HttpResponse {
  return withNoStore(errorResponse(500, "internal_error"));
}

function withNoStore(response: HttpResponse): HttpResponse {
  return { ...response, headers: { ...response.headers, "cache-control": "no-store" } };
}

