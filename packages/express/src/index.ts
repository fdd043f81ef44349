import type { IncomingMessage, ServerResponse } from "node:http";
import type { Auth, AuthContext, AuthenticateOptions, HttpRequest, HttpResponse } from "@tessera/core";
import { internalErrorResponse } from "@tessera/core";

/**
 * What Tessera reads from an Express request. Typed structurally (no import of express), so one
 * build serves Express 4 and 5: both requests are Node's `IncomingMessage` plus these fields.
 */
export interface ExpressRequest extends IncomingMessage {
  /** The path below the mount point, without the query string. */
  readonly path: string;
  readonly originalUrl?: string;
  /** Depends on the app's `trust proxy` setting; rate limits are counted per this address. */
  readonly ip?: string | undefined;
  /** Set only when the app's own body parser ran. */
  readonly body?: unknown;
}

export type ExpressMiddleware = (req: ExpressRequest, res: ServerResponse, next: () => void) => void;

export interface TesseraRouter extends ExpressMiddleware {
  /** `requireAuth(auth, options)` for the router's `auth`, sharing its `onError`. */
  requireAuth(options?: AuthenticateOptions): ExpressMiddleware;
}

export interface RouterOptions {
  /** Told about failures that could not become an ordinary response. Default: `console.error`. */
  readonly onError?: (error: unknown) => void;
}

export interface RequireAuthOptions extends AuthenticateOptions, RouterOptions {}

const contexts = new WeakMap<object, AuthContext>();

// Only reached through a bug or an unwritable header: the client still gets JSON, never Express's HTML page.
const INTERNAL_ERROR: HttpResponse = internalErrorResponse();

const reportError = (error: unknown): void => console.error("@tessera/express:", error);

function toHttpRequest(req: ExpressRequest, withBody: boolean): HttpRequest {
  // The raw query, not req.query: core parses it itself so repeated `token` keys are seen.
  const url = req.originalUrl ?? req.url ?? "";
  const q = url.indexOf("?");
  const body = !withBody ? {} : req.body !== undefined ? { parsedBody: req.body } : { rawBody: req };
  const query = q === -1 ? "" : url.slice(q + 1);
  return { method: (req.method ?? "GET").toUpperCase(), path: req.path, query, headers: req.headers, ip: req.ip ?? null, ...body };
}

function setHeaders(res: ServerResponse, headers: Readonly<Record<string, string | readonly string[]>>): void {
  for (const [name, value] of Object.entries(headers)) {
    // Cookies other middleware already set must survive Tessera's own.
    if (name.toLowerCase() === "set-cookie") res.appendHeader(name, value);
    else res.setHeader(name, value);
  }
}

/** Plain Node writes, so Express 4 and 5 answer byte for byte alike. Never throws. */
function send(res: ServerResponse, response: HttpResponse, onError: (error: unknown) => void): void {
  try {
    res.statusCode = response.status;
    const json = response.body === null || response.body === undefined ? null : JSON.stringify(response.body);
    if (json !== null) res.setHeader("content-type", "application/json; charset=utf-8");
    setHeaders(res, response.headers);
    if (json === null) res.end();
    else res.setHeader("content-length", Buffer.byteLength(json)).end(json);
  } catch (error) {
    onError(error);
    if (response === INTERNAL_ERROR || res.headersSent) res.destroy();
    else {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      send(res, INTERNAL_ERROR, onError);
    }
  }
}

/** Serves the HTTP contract (DESIGN §5) wherever it is mounted; other paths go on to `next()`. */
export function router(auth: Auth, options: RouterOptions = {}): TesseraRouter {
  const onError = options.onError ?? reportError;
  const middleware: ExpressMiddleware = async (req, res, next) => {
    let response: HttpResponse | null;
    try {
      response = await auth.handle(toHttpRequest(req, true));
    } catch (error) {
      onError(error);
      response = INTERNAL_ERROR;
    }
    if (response === null) next();
    else send(res, response, onError);
  };
  return Object.assign(middleware, { requireAuth: (o: AuthenticateOptions = {}) => requireAuth(auth, { onError, ...o }) });
}

/**
 * Lets the next handler run only for a valid token (unlocked, unless `unlocked: false`); answers
 * 401 / 403 / 503 itself otherwise. The handler reads who is calling with `getAuth(req)`.
 */
export function requireAuth(auth: Auth, options: RequireAuthOptions = {}): ExpressMiddleware {
  const { onError = reportError, ...authOptions } = options;
  return async (req, res, next) => {
    let failure: HttpResponse | null = null;
    try {
      // No body: the protected handler owns the request stream.
      const result = await auth.authenticate(toHttpRequest(req, false), authOptions);
      if (result.ok) {
        setHeaders(res, result.headers);
        contexts.set(req, result.auth);
      } else failure = result.response;
    } catch (error) {
      onError(error);
      failure = INTERNAL_ERROR;
    }
    if (failure === null) next();
    else send(res, failure, onError);
  };
}

/** Who is calling. Throws when `requireAuth()` did not let this request through. */
export function getAuth(req: object): AuthContext {
  const context = contexts.get(req);
  if (context === undefined) {
    throw new Error("@tessera/express: getAuth(req) found no auth context; put requireAuth() in front of this handler");
  }
  return context;
}
