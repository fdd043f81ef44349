import type { Auth } from "@tessera/core";
import { createAuth } from "@tessera/core";
import { createMemoryStore } from "@tessera/memory";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import type { TesseraState } from "../src/index.js";
import { requireAuth, router } from "../src/index.js";
import { jsonBodyParser, listen, route } from "./harness.js";

const PASSWORD = "correct horse battery staple";

function makeAuth(): Auth {
  return createAuth({
    secret: "tessera-koa-test-secret-0123456789abcdef",
    store: createMemoryStore(),
    password: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    http: { register: true, cookie: { secure: false } },
  });
}

async function loginToken(auth: Auth, name = "alice"): Promise<string> {
  const registered = await auth.register({ name, password: PASSWORD });
  if (!registered.ok) throw new Error(`register failed: ${registered.code}`);
  const login = await auth.login({ name, password: PASSWORD });
  if (!login.ok) throw new Error(`login failed: ${login.code}`);
  return login.token;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Starts `app` and returns its origin; the server is closed after the test. */
async function serve(app: Koa<TesseraState>): Promise<string> {
  const { origin, close } = await listen(app);
  closers.push(close);
  return origin;
}

/** The app every test starts from: Tessera under /api/v1, then a catch-all that names the path it saw. */
function appWith(auth: Auth, options: { prefix?: string } = { prefix: "/api/v1" }): Koa<TesseraState> {
  const app = new Koa<TesseraState>();
  app.use(router(auth, options));
  return app;
}

const seenByApp: Middleware = async (ctx) => {
  ctx.status = 200;
  ctx.body = { app: ctx.path };
};
type Middleware = Koa.Middleware<TesseraState>;

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("router prefix", () => {
  it("serves Tessera's routes below the prefix", async () => {
    const auth = makeAuth();
    await loginToken(auth);
    const origin = await serve(appWith(auth));
    const res = await postJson(`${origin}/api/v1/login`, { name: "alice", password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ logged: true, user: { name: "alice" } });
  });

  it("leaves a path that only starts with the same characters (/api/v1x/login) to the app", async () => {
    const auth = makeAuth();
    const app = appWith(auth);
    app.use(seenByApp);
    const origin = await serve(app);
    const res = await postJson(`${origin}/api/v1x/login`, { name: "alice", password: PASSWORD });
    expect(await res.json()).toEqual({ app: "/api/v1x/login" });
  });

  it("leaves Tessera's route names outside the prefix to the app", async () => {
    const app = appWith(makeAuth());
    app.use(seenByApp);
    const origin = await serve(app);
    expect(await (await fetch(`${origin}/ping`)).json()).toEqual({ app: "/ping" });
  });

  it("passes unknown paths below the prefix on to the app's own routes", async () => {
    const app = appWith(makeAuth());
    app.use(route("GET", "/api/v1/hello", (ctx) => void (ctx.body = { hello: "world" })));
    const origin = await serve(app);
    const res = await fetch(`${origin}/api/v1/hello`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: "world" });
  });

  it("serves from the root when no prefix is given", async () => {
    const origin = await serve(appWith(makeAuth(), {}));
    const res = await fetch(`${origin}/ping`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("treats a trailing slash on the prefix as the same prefix", async () => {
    const origin = await serve(appWith(makeAuth(), { prefix: "/api/v1/" }));
    expect(await (await fetch(`${origin}/api/v1/ping`)).json()).toEqual({ ok: true });
  });

  it("refuses a prefix that does not start with a slash", () => {
    expect(() => router(makeAuth(), { prefix: "api/v1" })).toThrow(/prefix must start with "\/"/);
  });
});

describe("request bodies", () => {
  it("leaves the body stream unread for the app when the route is not Tessera's", async () => {
    const app = appWith(makeAuth());
    app.use(async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
      ctx.body = { received: Buffer.concat(chunks).toString("utf8") };
    });
    const origin = await serve(app);
    const res = await postJson(`${origin}/api/v1/upload`, { some: "data" });
    expect(await res.json()).toEqual({ received: '{"some":"data"}' });
  });

  it("uses what a body parser left on ctx.request.body", async () => {
    const auth = makeAuth();
    await loginToken(auth);
    const app = new Koa<TesseraState>();
    // The stream is consumed here; only ctx.request.body can tell Tessera what was sent.
    app.use(jsonBodyParser);
    app.use(router(auth, { prefix: "/api/v1" }));
    const origin = await serve(app);
    const res = await postJson(`${origin}/api/v1/login`, { name: "alice", password: PASSWORD });
    expect(res.status).toBe(200);
  });
});

describe("responses", () => {
  it("answers in JSON with core's status and headers", async () => {
    const origin = await serve(appWith(makeAuth()));
    const res = await postJson(`${origin}/api/v1/login`, { name: "nobody", password: "wrong password" });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_credentials" } });
  });

  it("sends a 204 with no body and no content type", async () => {
    const auth = makeAuth();
    const token = await loginToken(auth);
    const other = await auth.login({ name: "alice", password: PASSWORD });
    if (!other.ok) throw new Error("second login failed");
    const origin = await serve(appWith(auth));
    const res = await fetch(`${origin}/api/v1/sessions/${other.session.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("content-type")).toBeNull();
    expect(await res.text()).toBe("");
  });

  it("keeps cookies the app set earlier in the request next to Tessera's", async () => {
    const auth = makeAuth();
    await loginToken(auth);
    const app = new Koa<TesseraState>();
    app.use(async (ctx, next) => {
      ctx.append("Set-Cookie", "theme=dark; Path=/");
      await next();
    });
    app.use(router(auth, { prefix: "/api/v1" }));
    const origin = await serve(app);
    const res = await postJson(`${origin}/api/v1/login`, { name: "alice", password: PASSWORD });
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toBe("theme=dark; Path=/");
    expect(cookies[1]).toMatch(/^tessera_session=tss_/);
  });

  it("answers a failure inside core with JSON, not Koa's text/plain, and without a stack", async () => {
    const auth = makeAuth();
    const broken: Auth = { ...auth, handle: () => Promise.reject(new Error("boom at /secret/path.ts:12")) };
    const app = appWith(broken);
    const reported: unknown[] = [];
    app.on("error", (error: unknown) => reported.push(error));
    const origin = await serve(app);
    const res = await fetch(`${origin}/api/v1/ping`);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal_error", message: "Internal error" } });
    expect(text).not.toMatch(/boom|secret/);
    expect(reported).toHaveLength(1);
  });
});

describe("requireAuth", () => {
  function protectedApp(auth: Auth, handlerRuns: { count: number }): Koa<TesseraState> {
    const app = new Koa<TesseraState>();
    const tessera = router(auth, { prefix: "/api/v1" });
    app.use(tessera);
    app.use(
      route("GET", "/api/v1/me", tessera.requireAuth(), (ctx) => {
        handlerRuns.count += 1;
        ctx.body = { name: ctx.state.auth.user.name, transport: ctx.state.auth.transport, session: ctx.state.auth.session.id };
      }),
    );
    return app;
  }

  it("puts the caller on ctx.state.auth", async () => {
    const auth = makeAuth();
    const token = await loginToken(auth);
    const runs = { count: 0 };
    const origin = await serve(protectedApp(auth, runs));
    const res = await fetch(`${origin}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: "alice", transport: "bearer", session: expect.any(String) });
    expect(runs.count).toBe(1);
  });

  it("answers 401 itself and never runs the handler without a token", async () => {
    const runs = { count: 0 };
    const origin = await serve(protectedApp(makeAuth(), runs));
    const res = await fetch(`${origin}/api/v1/me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_token" } });
    expect(runs.count).toBe(0);
  });

  it("sets core's headers for a query token on the app's response", async () => {
    const auth = makeAuth();
    const token = await loginToken(auth);
    const origin = await serve(protectedApp(auth, { count: 0 }));
    const res = await fetch(`${origin}/api/v1/me?token=${encodeURIComponent(token)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("works on its own, without the router", async () => {
    const auth = makeAuth();
    const token = await loginToken(auth);
    const app = new Koa<TesseraState>();
    app.use(requireAuth(auth));
    app.use((ctx) => void (ctx.body = { name: ctx.state.auth.user.name }));
    const origin = await serve(app);
    const res = await fetch(`${origin}/anything`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual({ name: "alice" });
  });

  it("answers a failure inside core with JSON 500 and never runs the handler", async () => {
    const auth = makeAuth();
    const broken: Auth = { ...auth, authenticate: () => Promise.reject(new Error("boom")) };
    const runs = { count: 0 };
    const app = protectedApp(broken, runs);
    app.silent = true;
    const origin = await serve(app);
    const res = await fetch(`${origin}/api/v1/me`, { headers: { authorization: "Bearer whatever" } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "internal_error", message: "Internal error" } });
    expect(runs.count).toBe(0);
  });
});
