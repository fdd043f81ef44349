import { describe, expect, it } from "vitest";
import type { SessionRecord, Store } from "../src/index.js";
import { createAuth } from "../src/index.js";
import { FAST_ARGON2, TEST_SECRET, registerAndLogin, setupAuth } from "./support/setup.js";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

describe("session lifetime (injected clock)", () => {
  it("accepts a session at expiresAt − 1 ms and rejects it at expiresAt", async () => {
    const { auth, clock, memory } = setupAuth({ touchInterval: 365 * DAY });
    const login = await registerAndLogin(auth);
    const validated = await auth.validate(login.token);
    const expiresAt = validated.ok ? validated.session.expiresAt : 0;
    expect(expiresAt).toBe(clock.now() + 30 * DAY);
    clock.set(expiresAt - 1);
    expect((await auth.validate(login.token)).ok).toBe(true);
    clock.set(expiresAt);
    expect(await auth.validate(login.token)).toEqual({ ok: false, code: "invalid_token" });
    expect(await memory.sessions.get(login.sessionId)).toBeNull();
  });

  it("causes zero store writes over 1,000 validations of a fresh session", async () => {
    const { auth, counting, clock } = setupAuth();
    const { token } = await registerAndLogin(auth);
    counting.reset();
    for (let i = 0; i < 1000; i++) {
      expect((await auth.validate(token)).ok).toBe(true);
      if (i % 100 === 0) clock.advance(5_000); // still inside the one-minute touch interval
    }
    expect(counting.writes()).toEqual([]);
    expect(counting.calls.length).toBeGreaterThanOrEqual(2000); // it did read: session + user each time
  });

  it("writes lastSeenAt at most once a minute", async () => {
    const { auth, counting, clock } = setupAuth();
    const { token } = await registerAndLogin(auth);
    counting.reset();
    for (let i = 0; i < 600; i++) {
      clock.advance(1_000); // ten minutes of one request a second
      await auth.validate(token);
    }
    expect(counting.writes()).toEqual(Array.from({ length: 10 }, () => "sessions.update"));
  });

  it("ends a session left idle for idleTimeout, and keeps one in use", async () => {
    const { auth, clock } = setupAuth({ idleTimeout: 30 * MIN });
    const busy = await registerAndLogin(auth);
    const idle = await registerAndLogin(auth, "bob");
    for (let i = 0; i < 6; i++) {
      clock.advance(10 * MIN);
      expect((await auth.validate(busy.token)).ok).toBe(true);
    }
    expect(await auth.validate(idle.token)).toEqual({ ok: false, code: "invalid_token" });
  });

  it("slides expiry forward only in the second half of the lifetime, and never past maxLifetime", async () => {
    const { auth, clock, counting, events } = setupAuth({ slide: true, sessionTtl: 10 * DAY, maxLifetime: 25 * DAY, touchInterval: 100 * DAY });
    const start = clock.now();
    const { token } = await registerAndLogin(auth);
    counting.reset();
    clock.set(start + 5 * DAY - 1);
    expect(await auth.validate(token)).toMatchObject({ session: { expiresAt: start + 10 * DAY } });
    expect(counting.writes()).toEqual([]);

    clock.set(start + 5 * DAY + 1);
    expect(await auth.validate(token)).toMatchObject({ session: { expiresAt: start + 15 * DAY + 1 } });
    expect(counting.writes()).toEqual(["sessions.update"]);
    expect(events.filter((e) => e.type === "session.renewed")).toHaveLength(1);

    clock.set(start + 14 * DAY);
    expect(await auth.validate(token)).toMatchObject({ session: { expiresAt: start + 24 * DAY } });
    clock.set(start + 22 * DAY);
    expect(await auth.validate(token)).toMatchObject({ session: { expiresAt: start + 25 * DAY } });
    clock.set(start + 25 * DAY - 1);
    expect((await auth.validate(token)).ok).toBe(true);
    clock.set(start + 25 * DAY);
    expect((await auth.validate(token)).ok).toBe(false);
  });

  it("never revives a session when a renewal races a logout", async () => {
    const { auth, clock, memory, counting } = setupAuth({ slide: true, sessionTtl: 10 * DAY });
    const { token, sessionId } = await registerAndLogin(auth);
    clock.advance(6 * DAY); // renewal due

    // Hold the renewal's write until a logout has run to completion.
    let releaseUpdate!: () => void;
    const logoutDone = new Promise<void>((resolve) => (releaseUpdate = resolve));
    const sessions = counting.store.sessions;
    const racing: Store = {
      ...counting.store,
      sessions: {
        ...bind(sessions),
        async update(id, patch, expected) {
          await logoutDone;
          return sessions.update(id, patch, expected);
        },
      },
    };
    const racingAuth = createAuth({ secret: TEST_SECRET, store: racing, clock, slide: true, sessionTtl: 10 * DAY, password: FAST_ARGON2 });

    const validation = racingAuth.validate(token);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await auth.logout(token)).toEqual({ ok: true });
    releaseUpdate();
    expect(await validation).toEqual({ ok: false, code: "invalid_token" });
    expect(await memory.sessions.get(sessionId)).toBeNull();
    expect(memory.dump().sessions).toEqual([]);
    expect((await auth.validate(token)).ok).toBe(false);
  });

  it("deletes sessions past their expiry on request", async () => {
    const { auth, clock } = setupAuth();
    await registerAndLogin(auth);
    await registerAndLogin(auth, "bob");
    clock.advance(30 * DAY - 1);
    expect(await auth.deleteExpiredSessions()).toBe(0);
    clock.advance(1);
    expect(await auth.deleteExpiredSessions()).toBe(2);
  });

  it("does not list expired or idle sessions", async () => {
    const { auth, clock } = setupAuth({ idleTimeout: 30 * MIN });
    const a = await registerAndLogin(auth);
    clock.advance(20 * MIN);
    const b = await auth.login({ name: "alice", password: "correct horse battery staple" });
    clock.advance(15 * MIN);
    const listing = await auth.listSessions({ userId: a.userId });
    expect(listing.map((s) => s.id)).toEqual([b.ok ? b.session.id : "?"]);
  });
});

function bind(sessions: Store["sessions"]): Store["sessions"] {
  return {
    create: (s: SessionRecord) => sessions.create(s),
    get: (id) => sessions.get(id),
    update: (id, patch, expected) => sessions.update(id, patch, expected),
    delete: (id) => sessions.delete(id),
    listByUser: (userId) => sessions.listByUser(userId),
    deleteByUser: (userId, exceptId) => sessions.deleteByUser(userId, exceptId),
    deleteExpired: (now) => sessions.deleteExpired(now),
    recordFailedAttempt: (id) => sessions.recordFailedAttempt(id),
  };
}
