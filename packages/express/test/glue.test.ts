import { text } from "node:stream/consumers";
import type { Auth, AuthContext, AuthenticateOptions, HttpRequest, HttpResponse } from "@tessera/core";
import { createAuth } from "@tessera/core";
import { createMemoryStore } from "@tessera/memory";
import express from "express";
import express4 from "express4";
import { afterEach, describe, expect, it } from "vitest";
import type { RouterOptions } from "../src/index.js";
import { getAuth, requireAuth, router } from "../src/index.js";
import type { ExpressApp, ExpressModule, Listening } from "./harness.js";
import { listen } from "./harness.js";

// These tests pin the glue alone: core's handle/authenticate are replaced by fakes, so what is
// checked is how a request reaches core and how core's answer reaches the wire.

const CONTEXT: AuthContext = {
  user: { id: "u1", name: "alice" },
  session: { id: "s1", userId: "u1", isUnlocked: true, createdAt: 1, expiresAt: 2, lastSeenAt: 1, ip: null, userAgent: null },
  transport: "bearer",
};

const json = (status: number, body: unknown, headers: Record<string, string | readonly string[]> = {}): HttpResponse => ({ status, headers, body });

function fakeAuth(overrides: {
  handle?: (request: HttpRequest) => Promise<HttpResponse | null>;
  authenticate?: Auth["authenticate"];
}): Auth {
  const real = createAuth({ secret: "glue-test-secret-glue-test-secret-0123456789", store: createMemoryStore() });
  return {
    ...real,
    handle: overrides.handle ?? (() => Promise.resolve(null)),
    authenticate: overrides.authenticate ?? (() => Promise.resolve({ ok: true, auth: CONTEXT, headers: {} })),
  };
}

describe.each<[string, ExpressModule]>([
  ["express 5", express],
  ["express 4", express4],
])("@tessera/express on %s", (_name, expressModule) => {
  let server: Listening | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  async function start(auth: Auth, setup: (app: ExpressApp) => void = () => {}, options: RouterOptions = {}): Promise<string> {
    const app = expressModule();
    setup(app);
    app.use("/api/v1", router(auth, options));
    app.post("/api/v1/echo", expressModule.json(), (req, res) => {
      res.json({ echoed: req.body as unknown });
    });
    server = await listen(app);
    return `${server.origin}/api/v1`;
  }

  describe("router", () => {
    it("hands core the method, the path below the mount, the raw query, the headers and the client address", async () => {
      const seen: HttpRequest[] = [];
      const url = await start(fakeAuth({ handle: (request) => (seen.push(request), Promise.resolve(json(200, {}))) }));
      await fetch(`${url}/login?token=a&token=b`, { headers: { "x-probe": "yes" } });
      await fetch(`${url}/ping`);
      expect(seen[0]).toMatchObject({ method: "GET", path: "/login", query: "token=a&token=b", headers: { "x-probe": "yes" } });
      expect(seen[0]?.ip).toMatch(/127\.0\.0\.1$/);
      expect(seen[1]).toMatchObject({ path: "/ping", query: "" });
    });

    it("sees paths relative to its mount inside a nested express.Router()", async () => {
      const seen: HttpRequest[] = [];
      const api = expressModule.Router();
      api.use("/v2", router(fakeAuth({ handle: (request) => (seen.push(request), Promise.resolve(json(200, {}))) })));
      const app = expressModule();
      app.use("/nested", api);
      server = await listen(app);
      await fetch(`${server.origin}/nested/v2/sessions/abc?x=1`);
      expect(seen[0]).toMatchObject({ path: "/sessions/abc", query: "x=1" });
    });

    it("gives core the raw request stream when the app has no body parser", async () => {
      const seen: HttpRequest[] = [];
      const url = await start(
        fakeAuth({
          handle: async (request) => {
            seen.push(request);
            return json(200, { raw: request.rawBody ? await text(request.rawBody) : null });
          },
        }),
      );
      const response = await fetch(`${url}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"alice"}' });
      expect(await response.json()).toEqual({ raw: '{"name":"alice"}' });
      expect(seen[0]?.parsedBody).toBeUndefined();
    });

    it("gives core the body the app's express.json() already parsed, and no stream", async () => {
      const seen: HttpRequest[] = [];
      const url = await start(
        fakeAuth({ handle: (request) => (seen.push(request), Promise.resolve(json(200, {}))) }),
        (app) => app.use(expressModule.json()),
      );
      await fetch(`${url}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"alice"}' });
      expect(seen[0]?.parsedBody).toEqual({ name: "alice" });
      expect(seen[0]?.rawBody).toBeUndefined();
    });

    it("passes paths core does not serve on to the app's own routes, body unread", async () => {
      const url = await start(fakeAuth({}));
      const response = await fetch(`${url}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"x":1}' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ echoed: { x: 1 } });
    });

    it("writes core's status, every header, each cookie separately, and a JSON body", async () => {
      const url = await start(
        fakeAuth({ handle: () => Promise.resolve(json(201, { created: true }, { "x-tessera": "1", "set-cookie": ["a=1; Path=/", "b=2; Path=/"] })) }),
      );
      const response = await fetch(`${url}/register`, { method: "POST" });
      expect(response.status).toBe(201);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("x-tessera")).toBe("1");
      expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
      expect(await response.json()).toEqual({ created: true });
    });

    it("keeps cookies the app set before Tessera answered", async () => {
      const url = await start(
        fakeAuth({ handle: () => Promise.resolve(json(200, {}, { "set-cookie": "tessera_session=x" })) }),
        (app) =>
          app.use((_req, res, next) => {
            res.setHeader("set-cookie", "app=1");
            next();
          }),
      );
      const response = await fetch(`${url}/login`, { method: "POST" });
      expect(response.headers.getSetCookie()).toEqual(["app=1", "tessera_session=x"]);
    });

    it("sends no body and no content type when core's body is null", async () => {
      const url = await start(fakeAuth({ handle: () => Promise.resolve(json(204, null)) }));
      const response = await fetch(`${url}/sessions/s1`, { method: "DELETE" });
      expect(response.status).toBe(204);
      expect(response.headers.get("content-type")).toBeNull();
      expect(await response.text()).toBe("");
    });

    it("answers JSON 500, never Express's HTML error page, when core throws", async () => {
      const errors: unknown[] = [];
      const url = await start(fakeAuth({ handle: () => Promise.reject(new Error("boom")) }), () => {}, { onError: (e) => errors.push(e) });
      const response = await fetch(`${url}/login`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: { code: "internal_error", message: "Internal error" } });
      expect(errors).toEqual([new Error("boom")]);
    });

    it("answers JSON 500 when core's response cannot be written", async () => {
      const errors: unknown[] = [];
      const url = await start(fakeAuth({ handle: () => Promise.resolve(json(200, {}, { "x-bad": "line\nbreak" })) }), () => {}, {
        onError: (e) => errors.push(e),
      });
      const response = await fetch(`${url}/login`);
      expect(response.status).toBe(500);
      expect(response.headers.get("x-bad")).toBeNull();
      expect(errors).toHaveLength(1);
    });
  });

  describe("requireAuth", () => {
    async function protectedApp(auth: Auth, options?: AuthenticateOptions): Promise<{ url: string; calls: () => number }> {
      let calls = 0;
      const app = expressModule();
      app.post("/me", requireAuth(auth, { onError: () => {}, ...options }), expressModule.json(), (req, res) => {
        calls += 1;
        res.json({ auth: getAuth(req), body: req.body as unknown });
      });
      server = await listen(app);
      return { url: `${server.origin}/me`, calls: () => calls };
    }

    it("runs the handler with the auth context and the headers core asks for, body left to the handler", async () => {
      const seen: HttpRequest[] = [];
      const auth = fakeAuth({
        authenticate: (request) => (seen.push(request), Promise.resolve({ ok: true, auth: CONTEXT, headers: { "referrer-policy": "no-referrer" } })),
      });
      const { url } = await protectedApp(auth);
      const response = await fetch(`${url}?token=t`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"x":1}' });
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(await response.json()).toEqual({ auth: CONTEXT, body: { x: 1 } });
      expect(seen[0]).toMatchObject({ method: "POST", query: "token=t" });
      expect(seen[0]?.rawBody).toBeUndefined();
    });

    it("sends core's refusal itself and never runs the handler", async () => {
      const refusal = json(403, { error: { code: "token_locked", message: "Access token is locked" } });
      const { url, calls } = await protectedApp(fakeAuth({ authenticate: () => Promise.resolve({ ok: false, response: refusal }) }));
      const response = await fetch(url, { method: "POST" });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual(refusal.body);
      expect(calls()).toBe(0);
    });

    it("passes { unlocked: false } on to core", async () => {
      const seen: (AuthenticateOptions | undefined)[] = [];
      const auth = fakeAuth({ authenticate: (_request, options) => (seen.push(options), Promise.resolve({ ok: true, auth: CONTEXT, headers: {} })) });
      const { url } = await protectedApp(auth, { unlocked: false });
      await fetch(url, { method: "POST" });
      expect(seen).toEqual([{ unlocked: false }]);
    });

    it("fails closed with JSON 500 when authenticate throws", async () => {
      const { url, calls } = await protectedApp(fakeAuth({ authenticate: () => Promise.reject(new Error("store down")) }));
      const response = await fetch(url, { method: "POST" });
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(calls()).toBe(0);
    });

    it("is also available on the router, for the router's auth", async () => {
      let seen = 0;
      const tessera = router(fakeAuth({ authenticate: () => (seen++, Promise.resolve({ ok: true, auth: CONTEXT, headers: {} })) }));
      const app = expressModule();
      app.get("/me", tessera.requireAuth(), (req, res) => {
        res.json(getAuth(req).user);
      });
      server = await listen(app);
      expect(await (await fetch(`${server.origin}/me`)).json()).toEqual(CONTEXT.user);
      expect(seen).toBe(1);
    });
  });

  it("getAuth throws a clear error on a request requireAuth did not let through", async () => {
    const app = expressModule();
    app.get("/open", (req, res) => {
      try {
        getAuth(req);
        res.json({ message: null });
      } catch (error) {
        res.json({ message: (error as Error).message });
      }
    });
    server = await listen(app);
    const { message } = (await (await fetch(`${server.origin}/open`)).json()) as { message: string };
    expect(message).toMatch(/put requireAuth\(\) in front of this handler/);
  });
});
