import type { ResolvedConfig } from "../config.js";
import { first } from "./body.js";
import { errorResponse } from "./responses.js";
import type { HttpRequest, HttpResponse, TokenTransport } from "./types.js";

type HttpSettings = ResolvedConfig["http"];

export type FoundToken =
  | { readonly kind: "token"; readonly token: string; readonly transport: TokenTransport }
  | { readonly kind: "none" }
  | { readonly kind: "error"; readonly response: HttpResponse };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
// Only a few kilobytes of token are ever looked at; anything longer is not ours anyway.
const MAX_TOKEN_LENGTH = 512;

/**
 * Finds the request's token in the enabled transports. Two *different* tokens are ambiguous
 * (`400`): the server must never guess which identity the client meant. When the same token
 * arrives several ways, the transport reported is the one a cross-site page cannot set (Bearer,
 * then query), so the CSRF check applies only to purely cookie-borne tokens.
 */
export function findToken(request: HttpRequest, settings: HttpSettings): FoundToken {
  const found: Array<{ token: string; transport: TokenTransport }> = [];
  if (settings.transports.bearer) {
    const match = BEARER.exec(first(request.headers["authorization"]) ?? "");
    if (match?.[1] !== undefined) found.push({ token: match[1], transport: "bearer" });
  }
  if (settings.transports.query) {
    // A raw request target may carry a literal "#…" that some frameworks leave in the query;
    // a browser never sends a fragment, so whatever follows "#" is not a parameter.
    const query = request.query.split("#", 1)[0]!;
    for (const token of new URLSearchParams(query).getAll("token")) found.push({ token, transport: "query" });
  }
  if (settings.transports.cookie) {
    // Every cookie of that name: one planted by a sibling subdomain must not silently win.
    for (const token of readCookies(request.headers["cookie"], settings.cookie.name)) found.push({ token, transport: "cookie" });
  }
  const distinct = new Set(found.map((f) => f.token));
  if (distinct.size > 1) return { kind: "error", response: errorResponse(400, "ambiguous_token") };
  const chosen = found[0];
  if (chosen === undefined) return { kind: "none" };
  return { kind: "token", token: chosen.token.length > MAX_TOKEN_LENGTH ? "" : chosen.token, transport: chosen.transport };
}

/** Every value of the cookies with that name, in the order the client sent them. */
export function readCookies(header: string | readonly string[] | undefined, name: string): string[] {
  const all = typeof header === "string" ? [header] : (header ?? []);
  const values: string[] = [];
  for (const line of all) {
    for (const part of line.split(";")) {
      const eq = part.indexOf("=");
      if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
      let value = part.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      values.push(value);
    }
  }
  return values;
}

function cookieAttributes(settings: HttpSettings): string {
  const { cookie } = settings;
  return [`Path=${cookie.path}`, cookie.domain === null ? null : `Domain=${cookie.domain}`, "HttpOnly", "SameSite=Lax", cookie.secure ? "Secure" : null]
    .filter((a) => a !== null)
    .join("; ");
}

/** `Set-Cookie` for a token valid until `expiresAt`. */
export function sessionCookie(settings: HttpSettings, token: string, expiresAt: number, now: number): string {
  const maxAge = Math.max(0, Math.floor((expiresAt - now) / 1000));
  return `${settings.cookie.name}=${token}; ${cookieAttributes(settings)}; Max-Age=${maxAge}`;
}

/** `Set-Cookie` that removes the session cookie. */
export function clearedCookie(settings: HttpSettings): string {
  return `${settings.cookie.name}=; ${cookieAttributes(settings)}; Max-Age=0`;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The CSRF check for cookie-borne tokens on state-changing requests: the request must prove it
 * comes from the server's own origin or a trusted one. An `Origin` header decides when present
 * (it must be trusted or match `Host`); otherwise `Sec-Fetch-Site` must say `same-origin` or
 * `none` (typed by the user). A request with neither proves nothing and is refused.
 */
export function passesCsrfCheck(request: HttpRequest, settings: HttpSettings, changesState: boolean): boolean {
  if (!changesState && !UNSAFE.has(request.method)) return true;
  const origin = first(request.headers["origin"]);
  if (origin !== undefined) {
    if (settings.trustedOrigins.includes(origin)) return true;
    try {
      return origin !== "null" && new URL(origin).host === first(request.headers["host"]);
    } catch {
      return false;
    }
  }
  const site = first(request.headers["sec-fetch-site"]);
  return site === "same-origin" || site === "none";
}
