import type { Auth } from "../auth.js";
import type { ResolvedConfig } from "../config.js";
import { isAuthError } from "../errors.js";
import type { SessionInfo } from "../session/views.js";
import type { BodyResult } from "./body.js";
import { first, isJsonType, readJsonBody } from "./body.js";
import { errorResponse, failureResponse, iso, jsonResponse } from "./responses.js";
import type { BodySchema } from "./schemas.js";
import { bodies, toIssues } from "./schemas.js";
import { clearedCookie, findToken, passesCsrfCheck, sessionCookie } from "./transport.js";
import type { AuthContext, AuthenticateResult, HttpApi, HttpRequest, HttpResponse, TokenTransport } from "./types.js";

type Settings = ResolvedConfig["http"];
type Engine = Omit<Auth, keyof HttpApi>;

/** What a route handler gets, after routing, token checks and body validation. */
interface RouteContext {
  readonly request: HttpRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The raw token (routes that work on LOCKED tokens too). */
  readonly token: string;
  /** How the token arrived, or `null` for public routes. */
  readonly transport: TokenTransport | null;
  /** Who is calling: set for routes that need an unlocked session, `null` otherwise. */
  readonly auth: AuthContext | null;
}

/** The caller of an `unlocked` route (routing guarantees it is there). */
function caller(ctx: RouteContext): AuthContext {
  if (ctx.auth === null) throw new Error("unreachable: an unlocked route ran without an authenticated caller");
  return ctx.auth;
}

type Access = "public" | "token" | "unlocked";

interface Route {
  readonly method: string;
  readonly path: string;
  readonly access: Access;
  readonly body?: BodySchema;
  /** The body may be left out entirely (all its fields are optional). */
  readonly bodyOptional?: boolean;
  /** Changes state although it is a GET (`GET /logout`), so the CSRF check applies. */
  readonly changesState?: boolean;
  run(ctx: RouteContext): Promise<HttpResponse>;
}

const NO_STORE = { "cache-control": "no-store" } as const;
const QUERY_TOKEN_HEADERS = { "referrer-policy": "no-referrer", "cache-control": "no-store" } as const;

export function createHttpApi(auth: Engine, settings: Settings, now: () => number, sliding: boolean): HttpApi {
  const userAgent = (request: HttpRequest): string | null => {
    const value = request.headers["user-agent"];
    const text = typeof value === "string" ? value : value?.[0];
    return text ? text.slice(0, 512) : null;
  };
  const withCookie = (token: string, expiresAt: number): Record<string, string> =>
    settings.transports.cookie ? { "set-cookie": sessionCookie(settings, token, expiresAt, now()) } : {};
  const clearCookie = (): Record<string, string> => (settings.transports.cookie ? { "set-cookie": clearedCookie(settings) } : {});
  /** With sliding sessions, a cookie-borne token's cookie follows the session's moving expiry. */
  const refreshCookie = (transport: TokenTransport | null, token: string, expiresAt: number): Record<string, string> =>
    sliding && transport === "cookie" ? withCookie(token, expiresAt) : {};

  const sessionView = (session: SessionInfo, currentId: string): Record<string, unknown> => ({
    id: session.id,
    createdAt: iso(session.createdAt),
    lastSeenAt: iso(session.lastSeenAt),
    expiresAt: iso(session.expiresAt),
    isUnlocked: session.isUnlocked,
    ip: session.ip,
    userAgent: session.userAgent,
    current: session.id === currentId,
  });

  const routes: Route[] = [
    {
      method: "POST",
      path: "/login",
      access: "public",
      body: bodies.login,
      async run({ request, body }) {
        const input = body as { name: string; password: string; returnToken?: boolean };
        const result = await auth.login({ name: input.name, password: input.password, ip: request.ip ?? null, userAgent: userAgent(request) });
        if (!result.ok) return failureResponse(result);
        const hideToken = input.returnToken === false && settings.transports.cookie;
        return jsonResponse(
          200,
          {
            logged: true,
            isUnlocked: result.isUnlocked,
            ...(hideToken ? {} : { token: result.token }),
            expiresAt: iso(result.expiresAt),
            user: result.user,
            mfa: result.mfa,
          },
          withCookie(result.token, result.expiresAt),
        );
      },
    },
    {
      method: "POST",
      path: "/login/unlock",
      access: "token",
      body: bodies.unlock,
      async run({ token, body }) {
        const [presented] = (body as { factors: Array<{ factor: "totp" | "recovery"; password: string }> }).factors;
        const result = await auth.unlock(token, { factor: presented!.factor, code: presented!.password });
        if (!result.ok) return failureResponse(result);
        return jsonResponse(
          200,
          {
            isUnlocked: true,
            factors: [{ factor: result.factor, unlocked: true }],
            token: result.token,
            expiresAt: iso(result.expiresAt),
            ...(result.recoveryCodesRemaining === undefined ? {} : { recoveryCodesRemaining: result.recoveryCodesRemaining }),
          },
          withCookie(result.token, result.expiresAt),
        );
      },
    },
    {
      method: "GET",
      path: "/login",
      access: "token",
      async run({ token, transport }) {
        const result = await auth.validate(token);
        if (!result.ok) return errorResponse(401, "invalid_token", { top: { logged: false } });
        return jsonResponse(
          200,
          { logged: true, isUnlocked: result.session.isUnlocked, expiresAt: iso(result.session.expiresAt), user: result.user },
          refreshCookie(transport, token, result.session.expiresAt),
        );
      },
    },
    ...(["POST", "GET"] as const).map(
      (method): Route => ({
        method,
        path: "/logout",
        access: "token",
        changesState: true,
        async run({ token }) {
          const result = await auth.logout(token);
          return result.ok ? jsonResponse(200, { logged: false }, clearCookie()) : errorResponse(401, "invalid_token", { headers: clearCookie() });
        },
      }),
    ),
    {
      method: "POST",
      path: "/logout/all",
      access: "unlocked",
      body: bodies.logoutAll,
      bodyOptional: true,
      async run(ctx) {
        const who = caller(ctx);
        const keepCurrent = (ctx.body as { keepCurrent?: boolean } | undefined)?.keepCurrent === true;
        const { revoked } = await auth.logoutAll({ userId: who.user.id, ...(keepCurrent ? { keepSessionId: who.session.id } : {}) });
        return jsonResponse(200, { revoked }, keepCurrent ? {} : clearCookie());
      },
    },
    {
      method: "GET",
      path: "/sessions",
      access: "unlocked",
      async run(ctx) {
        const who = caller(ctx);
        const sessions = await auth.listSessions({ userId: who.user.id, currentSessionId: who.session.id });
        return jsonResponse(200, { results: sessions.map((s) => sessionView(s, who.session.id)) });
      },
    },
    {
      method: "DELETE",
      path: "/sessions/:id",
      access: "unlocked",
      async run(ctx) {
        const who = caller(ctx);
        const sessionId = ctx.params["id"]!;
        if (!(await auth.revokeSession({ userId: who.user.id, sessionId }))) return errorResponse(404, "not_found", { message: "No such session" });
        return jsonResponse(204, null, sessionId === who.session.id ? clearCookie() : {});
      },
    },
    {
      method: "POST",
      path: "/mfa/totp",
      access: "unlocked",
      async run(ctx) {
        const who = caller(ctx);
        const result = await auth.mfa.beginTotp(who.user.id);
        if (!result.ok) return failureResponse(result);
        return jsonResponse(200, { secret: result.secret, otpauthUrl: result.otpauthUrl });
      },
    },
    {
      method: "POST",
      path: "/mfa/totp/confirm",
      access: "unlocked",
      body: bodies.confirmTotp,
      async run(ctx) {
        const who = caller(ctx);
        const result = await auth.mfa.confirmTotp(who.user.id, (ctx.body as { code: string }).code);
        return result.ok ? jsonResponse(200, { recoveryCodes: result.recoveryCodes }) : failureResponse(result);
      },
    },
    {
      method: "DELETE",
      path: "/mfa/totp",
      access: "unlocked",
      body: bodies.password,
      async run(ctx) {
        const who = caller(ctx);
        const result = await auth.mfa.disable(who.user.id, (ctx.body as { password: string }).password, { keepSessionId: who.session.id });
        return result.ok ? jsonResponse(200, { mfa: { required: false }, revoked: result.revoked }) : failureResponse(result);
      },
    },
    {
      method: "POST",
      path: "/mfa/recovery-codes",
      access: "unlocked",
      body: bodies.password,
      async run(ctx) {
        const who = caller(ctx);
        const result = await auth.mfa.regenerateRecoveryCodes(who.user.id, (ctx.body as { password: string }).password);
        return result.ok ? jsonResponse(200, { recoveryCodes: result.recoveryCodes }) : failureResponse(result);
      },
    },
    {
      method: "POST",
      path: "/password",
      access: "unlocked",
      body: bodies.changePassword,
      async run(ctx) {
        const who = caller(ctx);
        const input = ctx.body as { currentPassword: string; newPassword: string };
        const result = await auth.changePassword({ userId: who.user.id, currentPassword: input.currentPassword, newPassword: input.newPassword, keepSessionId: who.session.id });
        if (result.ok) return jsonResponse(200, { changed: true, revoked: result.revoked });
        const messages = { invalid_request: "The new password is not acceptable", invalid_credentials: "The current password is wrong" } as const;
        return failureResponse(result, result.code === "rate_limited" ? undefined : messages[result.code]);
      },
    },
    ...(settings.register
      ? [
          {
            method: "POST",
            path: "/register",
            access: "public",
            body: bodies.register,
            async run({ body }) {
              const result = await auth.register(body as { name: string; password: string });
              return result.ok ? jsonResponse(201, { user: result.user }) : failureResponse(result);
            },
          } satisfies Route,
        ]
      : []),
    {
      method: "GET",
      path: "/ping",
      access: "public",
      async run() {
        const health = await auth.health();
        return health.ok ? jsonResponse(200, { ok: true }) : errorResponse(503, "store_unavailable", { top: { ok: false } });
      },
    },
  ];

  /** Turns what went wrong below into a response; never throws. */
  function failure(error: unknown): HttpResponse {
    try {
      settings.onError(error);
    } catch {
      // A throwing error reporter must not turn a JSON 5xx into a rejected promise.
    }
    if (isAuthError(error) && error.code === "store_unavailable") return errorResponse(503, "store_unavailable");
    if (isAuthError(error) && error.code === "busy") return errorResponse(503, "busy", { headers: { "retry-after": "1" } });
    return errorResponse(500, "internal_error");
  }

  async function authenticateToken(
    request: HttpRequest,
    access: Exclude<Access, "public">,
    changesState: boolean,
  ): Promise<{ ok: true; token: string; transport: TokenTransport; auth: AuthContext | null } | { ok: false; response: HttpResponse; transport: TokenTransport | null }> {
    const found = findToken(request, settings);
    if (found.kind === "error") return { ok: false, response: found.response, transport: null };
    if (found.kind === "none") return { ok: false, response: errorResponse(401, "invalid_token", { message: "Access token is missing" }), transport: null };
    const { token, transport } = found;
    if (transport === "cookie" && !passesCsrfCheck(request, settings, changesState)) {
      return { ok: false, response: errorResponse(403, "csrf_rejected"), transport };
    }
    if (access === "token") return { ok: true, token, transport, auth: null };
    const result = await auth.validate(token, { requireUnlocked: true });
    if (result.ok) return { ok: true, token, transport, auth: { user: result.user, session: result.session, transport } };
    return { ok: false, response: failureResponse(result), transport };
  }

  const withHeaders = (response: HttpResponse, transport: TokenTransport | null): HttpResponse => ({
    ...response,
    headers: { ...response.headers, ...NO_STORE, ...(transport === "query" ? QUERY_TOKEN_HEADERS : {}) },
  });

  async function handle(request: HttpRequest): Promise<HttpResponse | null> {
    const path = request.path.length > 1 && request.path.endsWith("/") ? request.path.slice(0, -1) : request.path;
    const matches = routes.map((route) => ({ route, params: matchPath(route.path, path) })).filter((m) => m.params !== null);
    if (matches.length === 0) return null;
    const method = request.method.toUpperCase();
    const hit = matches.find((m) => m.route.method === method);
    if (hit === undefined) {
      const allow = [...new Set(matches.map((m) => m.route.method))].join(", ");
      return withHeaders(errorResponse(405, "method_not_allowed", { headers: { allow } }), null);
    }
    const { route } = hit;
    let transport: TokenTransport | null = null;
    try {
      const params = hit.params!;
      if (params === INVALID_PARAM) return withHeaders(errorResponse(404, "not_found"), null);
      let token = "";
      let who: AuthContext | null = null;
      if (route.access !== "public") {
        const checked = await authenticateToken(request, route.access, route.changesState === true);
        transport = checked.transport;
        if (!checked.ok) return withHeaders(route.method === "GET" && route.path === "/login" ? asLoginCheckFailure(checked.response) : checked.response, transport);
        token = checked.token;
        who = checked.auth;
      }
      let body: unknown = undefined;
      if (route.body !== undefined) {
        const read = request.parsedBody !== undefined ? acceptParsedBody(request) : await readJsonBody(request.rawBody, request.headers, settings.maxBodyBytes);
        if (!read.ok) return withHeaders(read.response, transport);
        const raw = read.body === undefined && route.bodyOptional ? {} : read.body;
        if (raw === undefined) return withHeaders(errorResponse(400, "invalid_request", { message: "A JSON body is required", issues: [{ path: [], message: "is required" }] }), transport);
        const parsed = route.body.safeParse(raw);
        if (!parsed.success) return withHeaders(errorResponse(400, "invalid_request", { issues: toIssues(parsed.error) }), transport);
        body = parsed.data;
      }
      const response = await route.run({ request, params, body, token, transport, auth: who });
      const refreshed = who === null || "set-cookie" in response.headers ? {} : refreshCookie(transport, token, who.session.expiresAt);
      return withHeaders({ ...response, headers: { ...refreshed, ...response.headers } }, transport);
    } catch (error) {
      return withHeaders(failure(error), transport);
    }
  }

  async function authenticate(request: HttpRequest, options: { readonly unlocked?: boolean } = {}): Promise<AuthenticateResult> {
    let transport: TokenTransport | null = null;
    try {
      const checked = await authenticateToken(request, "token", false);
      transport = checked.transport;
      if (!checked.ok) return { ok: false, response: withHeaders(checked.response, transport) };
      const result = await auth.validate(checked.token, { requireUnlocked: options.unlocked !== false });
      if (!result.ok) return { ok: false, response: withHeaders(failureResponse(result), transport) };
      return {
        ok: true,
        auth: { user: result.user, session: result.session, transport: checked.transport },
        headers: { ...(checked.transport === "query" ? QUERY_TOKEN_HEADERS : {}), ...refreshCookie(checked.transport, checked.token, result.session.expiresAt) },
      };
    } catch (error) {
      return { ok: false, response: withHeaders(failure(error), transport) };
    }
  }

  return { handle, authenticate };
}

/**
 * A body the application's parser produced is used only if it came from JSON: a parser that
 * also reads HTML forms (`express.urlencoded()`, koa-bodyparser's default) would otherwise let a
 * cross-site form post log a victim in. No Content-Type at all (an empty body) is fine.
 */
function acceptParsedBody(request: HttpRequest): BodyResult {
  const type = first(request.headers["content-type"]);
  if (type !== undefined && !isJsonType(type)) return { ok: false, response: errorResponse(415, "unsupported_media_type") };
  return { ok: true, body: request.parsedBody };
}

/** `GET /login` answers a bad token with `{ logged: false, error }`, the same for every cause. */
function asLoginCheckFailure(response: HttpResponse): HttpResponse {
  if (response.status !== 401) return response;
  return errorResponse(401, "invalid_token", { top: { logged: false } });
}

const INVALID_PARAM: Readonly<Record<string, string>> = Object.freeze({});

/** Matches "/sessions/:id" against a path; `INVALID_PARAM` when a parameter is not decodable. */
function matchPath(pattern: string, path: string): Readonly<Record<string, string>> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i]!;
    if (segment.startsWith(":")) {
      if (actual === "") return null;
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return INVALID_PARAM;
      }
    } else if (segment !== actual) {
      return null;
    }
  }
  return params;
}
