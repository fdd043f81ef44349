import type { Auth, AuthContext, AuthenticateOptions, AuthenticateResult, HttpRequest, HttpResponse } from "@tessera/core";
import { internalErrorResponse } from "@tessera/core";
import type { KoaContext, KoaMiddleware } from "./koa.js";

export type { KoaContext, KoaMiddleware, KoaNext } from "./koa.js";

/** What `requireAuth` leaves on `ctx.state`: use it as `new Koa<TesseraState>()` or `ParameterizedContext<TesseraState>`. */
export interface TesseraState {
  auth: AuthContext;
}

export interface RouterOptions {
  /** Where the routes live, e.g. "/api/v1" (Koa has no mounting). Default "": the root. */
  readonly prefix?: string;
}

export type RequireAuthOptions = AuthenticateOptions;

/** Tessera's routes as one middleware, with the matching `requireAuth` at hand. */
export interface TesseraRouter extends KoaMiddleware {
  requireAuth(options?: RequireAuthOptions): KoaMiddleware;
}

/**
 * The HTTP contract (DESIGN §5) as Koa middleware. Requests outside `prefix`, or inside it but
 * not for a Tessera route, go on to `next()` untouched (their body unread).
 */
export function router(auth: Auth, options: RouterOptions = {}): TesseraRouter {
  const prefix = (options.prefix ?? "").replace(/\/+$/, "");
  if (prefix !== "" && !prefix.startsWith("/")) throw new TypeError(`@tessera/koa: prefix must start with "/" (got "${prefix}")`);

  const middleware: KoaMiddleware = async (ctx, next) => {
    // "/api/v1x/login" shares the characters but is not below "/api/v1".
    if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) {
      await next();
      return;
    }
    let response: HttpResponse | null;
    try {
      response = await auth.handle(toHttpRequest(ctx, ctx.path.slice(prefix.length) || "/", true));
    } catch (error) {
      response = internalError(ctx, error);
    }
    // Outside the try: an error thrown by the application's own routes is the application's.
    if (response === null) await next();
    else writeResponse(ctx, response);
  };
  return Object.assign(middleware, { requireAuth: (opts?: RequireAuthOptions) => requireAuth(auth, opts) });
}

/**
 * Lets the request through only with a valid token (an unlocked one unless `unlocked: false`),
 * and puts `{ user, session, transport }` on `ctx.state.auth`. Otherwise answers 400 / 401 / 403 /
 * 503 itself and the rest of the chain never runs.
 */
export function requireAuth(auth: Auth, options: RequireAuthOptions = {}): KoaMiddleware {
  return async (ctx, next) => {
    let result: AuthenticateResult;
    try {
      // No body: authentication never needs it, and the application's body parser still will.
      result = await auth.authenticate(toHttpRequest(ctx, ctx.path, false), options);
    } catch (error) {
      result = { ok: false, response: internalError(ctx, error) };
    }
    if (!result.ok) return writeResponse(ctx, result.response);
    Object.assign(ctx.state, { auth: result.auth });
    setHeaders(ctx, result.headers);
    await next();
  };
}

function toHttpRequest(ctx: KoaContext, path: string, withBody: boolean): HttpRequest {
  const request = { method: ctx.method, path, query: ctx.querystring, headers: ctx.headers, ip: ctx.ip };
  if (!withBody) return request;
  // A body parser that already consumed the stream leaves its result on ctx.request.body.
  if ("body" in ctx.request && ctx.request.body !== undefined) return { ...request, parsedBody: ctx.request.body };
  return { ...request, rawBody: ctx.req };
}

function setHeaders(ctx: KoaContext, headers: HttpResponse["headers"]): void {
  for (const [name, value] of Object.entries(headers)) {
    const values = typeof value === "string" ? value : [...value];
    // Appended, so cookies the application set earlier in this request survive.
    if (name.toLowerCase() === "set-cookie") ctx.append(name, values);
    else ctx.set(name, values);
  }
}

function writeResponse(ctx: KoaContext, response: HttpResponse): void {
  ctx.status = response.status;
  setHeaders(ctx, response.headers);
  const { body } = response;
  if (body === null || body === undefined) {
    ctx.body = null;
  } else if (typeof body === "object") {
    ctx.body = body;
  } else {
    // Koa would send a bare string as text/html; every Tessera body is JSON.
    ctx.type = "application/json";
    ctx.body = JSON.stringify(body);
  }
}

/**
 * Core never rejects, but if it did, Koa's own error handling would answer in text/plain. The
 * error goes to the app's "error" listeners (server-side logs); the client gets JSON and no stack.
 */
function internalError(ctx: KoaContext, error: unknown): HttpResponse {
  try {
    // Koa's default listener refuses non-Error values with a throw of its own.
    ctx.app.emit("error", error instanceof Error ? error : new Error(String(error)), ctx);
  } catch {
    // A throwing logger must not cost the client its JSON answer.
  }
  return internalErrorResponse();
}
