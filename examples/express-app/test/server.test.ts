import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../src/server.js";
import { startServer, startupMessage } from "../src/server.js";

const SECRET = "example-test-secret-example-test-secret-0123";

let running: RunningServer | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

async function start(lines: string[] = []): Promise<RunningServer> {
  running = await startServer({ port: 0, secret: SECRET, log: (line) => lines.push(line) });
  return running;
}

async function post(url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Log lines are written when the response closes, which can be a tick after fetch resolves. */
async function waitForLines(lines: string[], count: number): Promise<void> {
  for (let i = 0; i < 100 && lines.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("the Express example", () => {
  it("registers, logs in, reaches /me with ?token=, logs out, and is then refused", async () => {
    const { url } = await start();
    const registered = await post(`${url}/register`, { name: "alice", password: "correct horse battery staple" });
    expect(registered.status).toBe(201);

    const login = await post(`${url}/login`, { name: "alice", password: "correct horse battery staple" });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    const me = await fetch(`${url}/me?token=${encodeURIComponent(token)}`);
    expect(me.status).toBe(200);
    expect(me.headers.get("referrer-policy")).toBe("no-referrer");
    const body = (await me.json()) as { user: { name: string }; session: { isUnlocked: boolean } };
    expect(body.user.name).toBe("alice");
    expect(body.session.isUnlocked).toBe(true);
    expect(JSON.stringify(body)).not.toContain(token);

    const logout = await fetch(`${url}/logout?token=${encodeURIComponent(token)}`);
    expect(logout.status).toBe(200);
    expect(await logout.json()).toEqual({ logged: false });

    expect((await fetch(`${url}/me?token=${encodeURIComponent(token)}`)).status).toBe(401);
  });

  it("lets the printed demo account log in", async () => {
    const { url, demo } = await start();
    const login = await post(`${url}/login`, { name: demo.name, password: demo.password });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const me = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { user: { name: string } }).user.name).toBe("demo");
  });

  it("refuses /me without a token, with Tessera's JSON error", async () => {
    const { url } = await start();
    const me = await fetch(`${url}/me`);
    expect(me.status).toBe(401);
    expect(me.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("logs method, redacted url, status and time, and never a raw token", async () => {
    const lines: string[] = [];
    const { url, demo } = await start(lines);
    const login = await post(`${url}/login`, { name: demo.name, password: demo.password });
    const { token } = (await login.json()) as { token: string };
    await fetch(`${url}/me?token=${encodeURIComponent(token)}`);
    await fetch(`${url}/logout?token=${encodeURIComponent(token)}`);
    await waitForLines(lines, 3);

    const requests = lines.filter((line) => /^(GET|POST) /.test(line));
    expect(requests).toEqual([
      expect.stringMatching(/^POST \/api\/v1\/login 200 \d+ms$/),
      expect.stringMatching(/^GET \/api\/v1\/me\?token=\[redacted\] 200 \d+ms$/),
      expect.stringMatching(/^GET \/api\/v1\/logout\?token=\[redacted\] 200 \d+ms$/),
    ]);
    const secretPart = token.slice(4); // without the public "tss_" prefix
    for (const line of lines) expect(line).not.toContain(secretPart);
  });

  it("says when it generated the secret, since sessions then die with the process", async () => {
    const lines: string[] = [];
    running = await startServer({ port: 0, log: (line) => lines.push(line) });
    expect(lines.join("\n")).toMatch(/TESSERA_SECRET is not set.*won't survive a restart/);
  });

  it("prints the URL, the demo account and curl commands to try", async () => {
    const server = await start();
    const message = startupMessage(server).join("\n");
    expect(message).toContain(`Tessera example (Express) on ${server.url} — demo account: demo / ${server.demo.password}`);
    expect(message).toMatch(/curl -s -X POST http:\/\/localhost:\d+\/api\/v1\/login/);
  });
});
