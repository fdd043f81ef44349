import { randomBytes } from "node:crypto";
import { createAuth } from "@tessera/core";
import { createMemoryStore } from "@tessera/memory";

/** Shows a token the way logs should: recognisable, never usable. */
const redact = (token: string): string => `${token.slice(0, 8)}… (${token.length} chars, shown once)`;

/**
 * The whole life of a session on the in-memory store, one printed step at a time.
 * Returns normally when every step behaved as expected; throws otherwise.
 */
export async function runQuickstart(print: (line: string) => void = console.log): Promise<void> {
  const auth = createAuth({
    // Production: a stable secret of ≥ 32 bytes from your secret manager.
    secret: process.env["TESSERA_SECRET"] ?? randomBytes(32).toString("base64url"),
    store: createMemoryStore(),
  });
  const step = (n: number, what: string, detail: string): void => print(`${n}. ${what.padEnd(24)} ${detail}`);
  const expect = (condition: boolean, message: string): void => {
    if (!condition) throw new Error(`quickstart: ${message}`);
  };

  const registered = await auth.register({ name: "alice", password: "correct horse battery staple" });
  expect(registered.ok, "register failed");
  step(1, "register alice", registered.ok ? `user ${registered.user.id}` : "");

  const wrong = await auth.login({ name: "alice", password: "wrong password" });
  expect(!wrong.ok, "a wrong password logged in");
  step(2, "login, wrong password", wrong.ok ? "" : `refused: ${wrong.code}`);

  const login = await auth.login({ name: "Alice", password: "correct horse battery staple", ip: "127.0.0.1", userAgent: "quickstart" });
  if (!login.ok) throw new Error(`quickstart: login failed (${login.code})`);
  step(3, "login", `token ${redact(login.token)}, expires ${new Date(login.expiresAt).toISOString()}`);

  const checked = await auth.validate(login.token);
  expect(checked.ok, "validate refused a fresh token");
  step(4, "validate token", checked.ok ? `valid for ${checked.user.name}, unlocked: ${checked.session.isUnlocked}` : "");

  const sessions = await auth.listSessions({ userId: login.user.id, currentSessionId: login.session.id });
  expect(sessions.length === 1, "expected exactly one session");
  step(5, "list sessions", sessions.map((s) => `${s.id} (current: ${s.current}, ip: ${s.ip})`).join(", "));

  const out = await auth.logout(login.token);
  expect(out.ok, "logout failed");
  step(6, "logout", "session ended");

  const after = await auth.validate(login.token);
  expect(!after.ok, "the token still worked after logout");
  step(7, "validate again", after.ok ? "" : `refused: ${after.code}`);
}
