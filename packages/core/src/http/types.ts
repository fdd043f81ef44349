import type { PublicUser, SessionInfo } from "../session/views.js";

/**
 * The framework-free HTTP layer (DESIGN §5). A framework package turns its request into an
 * `HttpRequest`, calls `auth.handle` or `auth.authenticate`, and writes the `HttpResponse` back.
 * Everything else (routing, validation, transports, cookies, CSRF, status codes) lives here, once.
 */
export interface HttpRequest {
  /** Upper-case method, e.g. "POST". */
  readonly method: string;
  /** The path below the mount point, starting with "/", without the query string: "/login". */
  readonly path: string;
  /** The raw query string without "?" ("" when none). Core parses it itself, so repeated keys are seen. */
  readonly query: string;
  /** Header names in lower case (as Node gives them). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The client's address (`req.ip` / `ctx.ip`), for rate limits and session listings. */
  readonly ip?: string | null;
  /**
   * A body the application's own body parser already produced (e.g. `express.json()`), if any.
   * When set, core uses it and never touches `rawBody`.
   */
  readonly parsedBody?: unknown;
  /**
   * The raw body stream (Node's `IncomingMessage` is one). Core reads it, with a size limit, only
   * for routes that take a body, so requests for the application's own routes are never consumed.
   */
  readonly rawBody?: AsyncIterable<Uint8Array | string>;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. `set-cookie` may hold several values. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The JSON body, or `null` for no body (204). */
  readonly body: unknown;
}

/** Who is calling, as `requireAuth` exposes it (`getAuth(req)`, `ctx.state.auth`). */
export interface AuthContext {
  readonly user: PublicUser;
  readonly session: SessionInfo;
  /** How the token arrived. */
  readonly transport: TokenTransport;
}

export type TokenTransport = "query" | "bearer" | "cookie";

export interface AuthenticateOptions {
  /** Refuse LOCKED tokens with `403 token_locked`. Default `true`. */
  readonly unlocked?: boolean;
}

export type AuthenticateResult =
  /**
   * `headers` must be set on the eventual response: `Referrer-Policy` for query tokens, and a
   * refreshed `Set-Cookie` when sliding renewal moved a cookie-borne session's expiry.
   */
  | { readonly ok: true; readonly auth: AuthContext; readonly headers: Readonly<Record<string, string>> }
  /** Send `response` as it is; do not run the handler. */
  | { readonly ok: false; readonly response: HttpResponse };

/** The HTTP side of `auth` (`auth.handle`, `auth.authenticate`). */
export interface HttpApi {
  /**
   * Serves one request of the contract. Resolves `null` when no Tessera route matches the path,
   * so the framework can pass the request on (`next()`). Never rejects: every failure, including
   * a broken store, becomes a JSON error response.
   */
  handle(request: HttpRequest): Promise<HttpResponse | null>;
  /**
   * What `requireAuth` runs: finds the token (query, Bearer, cookie), checks it, and either
   * returns who is calling or the error response to send. Never rejects; a broken store is a
   * `503 store_unavailable` response, so the protected handler never runs.
   */
  authenticate(request: HttpRequest, options?: AuthenticateOptions): Promise<AuthenticateResult>;
}
