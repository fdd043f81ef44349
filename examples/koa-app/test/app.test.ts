import { afterEach, describe, expect, it } from "vitest";
import type { RunningApp } from "../src/app.js";
import { StartupError, banner, createApp, optionsFromEnv, startApp } from "../src/app.js";

// Cheap argon2id, so the tests spend their time on HTTP rather than hashing.
const FAST_PASSWORDS = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const SECRET = "koa-example-test-secret-0123456789abcdef";

const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

async function start(options: { secret?: string } = {}): Promise<{ app: RunningApp; logs: string[] }> {
  const logs: string[] = [];
  const app = await startApp({ port: 0, host: "127.0.0.1", password: FAST_PASSWORDS, log: (line) => logs.push(line), ...options });
  running.push(app);
  return { app, logs };
}

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("the Koa example", () => {
  it("registers, logs in, reads /me with a query token and logs out over real HTTP", async () => {
    const { app } = await start({ secret: SECRET });
    const base = `http://127.0.0.1:${app.port}/api/v1`;
    const account = { name: "alice", password: "correct horse battery staple" };

    const registered = await fetch(`${base}/register`, json(account));
    expect(registered.status).toBe(201);
    expect(await registered.json()).toMatchObject({ user: { name: "alice" } });

    const login = await fetch(`${base}/login`, json(account));
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    const me = await fetch(`${base}/me?token=${encodeURIComponent(token)}`);
    expect(me.status).toBe(200);
    expect(me.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await me.json()).toMatchObject({ user: { name: "alice" }, session: { isUnlocked: true } });

    const logout = await fetch(`${base}/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(logout.status).toBe(200);
    expect(await logout.json()).toEqual({ logged: false });

    expect((await fetch(`${base}/me?token=${encodeURIComponent(token)}`)).status).toBe(401);
  });

  it("logs method, URL, status and time, and never a raw token", async () => {
    const { app, logs } = await start();
    const base = `http://127.0.0.1:${app.port}/api/v1`;
    const login = await fetch(`${base}/login`, json(app.demo));
    const { token } = (await login.json()) as { token: string };
    await fetch(`${base}/me?token=${encodeURIComponent(token)}`);
    // Not a token to core (names are case-sensitive), but still a secret in a log.
    await fetch(`${base}/login?TOKEN=${encodeURIComponent(token)}&x=1`);

    expect(logs).toEqual([
      expect.stringMatching(/^POST \/api\/v1\/login 200 \d+ms$/),
      expect.stringMatching(/^GET \/api\/v1\/me\?token=\[redacted\] 200 \d+ms$/),
      expect.stringMatching(/^GET \/api\/v1\/login\?TOKEN=\[redacted\]&x=1 \d{3} \d+ms$/),
    ]);
    const secretPart = token.slice(4, 24);
    for (const line of logs) expect(line).not.toContain(secretPart);
  });

  it("lets the printed demo account log in", async () => {
    const { app } = await start();
    const login = await fetch(`http://127.0.0.1:${app.port}/api/v1/login`, json(app.demo));
    expect(login.status).toBe(200);
    expect(banner(app)).toContain(`demo account: demo / ${app.demo.password}`);
  });

  it("refuses /me without a token, with Tessera's JSON 401", async () => {
    const { app } = await start();
    const res = await fetch(`http://127.0.0.1:${app.port}/api/v1/me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_token" } });
  });

  it("answers unknown paths with a JSON 404", async () => {
    const { app } = await start();
    const res = await fetch(`http://127.0.0.1:${app.port}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "Not found" } });
  });

  it("says when it made up a secret, and not when one was given", async () => {
    const generated = await start();
    expect(banner(generated.app)).toMatch(/TESSERA_SECRET is not set/);
    const given = await start({ secret: SECRET });
    expect(banner(given.app)).not.toMatch(/TESSERA_SECRET/);
  });
});

describe("configuration from the environment", () => {
  it("defaults to the memory store on 127.0.0.1:3000", () => {
    expect(optionsFromEnv({})).toEqual({ store: "memory", port: 3000, host: "127.0.0.1" });
  });

  it("reads PORT, HOST, TESSERA_STORE and TESSERA_SECRET", () => {
    expect(optionsFromEnv({ PORT: "8080", HOST: "0.0.0.0", TESSERA_STORE: "memory", TESSERA_SECRET: SECRET })).toEqual({
      store: "memory",
      port: 8080,
      host: "0.0.0.0",
      secret: SECRET,
    });
  });

  it.each(["postgres", "redis"] as const)("stops with a clear message for TESSERA_STORE=%s, which does not exist yet", (store) => {
    const options = optionsFromEnv({ TESSERA_STORE: store });
    expect(() => createApp(options)).toThrow(new StartupError(`@tessera/${store} is not available yet; use TESSERA_STORE=memory`));
  });

  it("refuses an unknown store and a bad port", () => {
    expect(() => optionsFromEnv({ TESSERA_STORE: "mongo" })).toThrow(/Unknown TESSERA_STORE "mongo"/);
    expect(() => optionsFromEnv({ PORT: "http" })).toThrow(/PORT must be a port number/);
  });
});
