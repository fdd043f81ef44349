import { describe, expect, it } from "vitest";
import type { Store } from "../src/index.js";
import { DEFAULT_ARGON2_PARAMS, createArgon2Hasher, createAuth, hashSecret, isAuthError, parseToken } from "../src/index.js";
import { countingStore } from "./support/counting.js";
import type { Argon2Vectors } from "./support/vectors.js";
import { loadVectors } from "./support/vectors.js";
import { TEST_SECRET, registerAndLogin, setupAuth } from "./support/setup.js";
import { createTestStore, failingStore } from "./support/store.js";

const PASSWORD = "correct horse battery staple";

describe("register", () => {
  it("creates a user with a normalised name", async () => {
    const { auth } = setupAuth();
    const result = await auth.register({ name: "  Alice ", password: PASSWORD });
    expect(result.ok && result.user.name).toBe("Alice");
  });

  it("refuses a name that differs only in case, width or surrounding spaces", async () => {
    const { auth } = setupAuth();
    await auth.register({ name: "Alice", password: PASSWORD });
    for (const name of ["alice", " ALICE", "ＡＬＩＣＥ"]) {
      expect(await auth.register({ name, password: PASSWORD })).toEqual({ ok: false, code: "name_taken" });
    }
  });

  it("lets exactly one of 20 concurrent registrations of one name win", async () => {
    const { auth } = setupAuth();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => auth.register({ name: i % 2 ? "Bob" : "bob", password: PASSWORD })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it.each([
    ["too short", "short", /at least 8 characters/],
    ["too long", "x".repeat(1025), /at most 1024 characters/],
  ])("refuses a password that is %s with invalid_request", async (_why, password, message) => {
    const { auth, hasher } = setupAuth();
    hasher.reset();
    const result = await auth.register({ name: "carol", password });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe("invalid_request");
    expect(!result.ok && result.code === "invalid_request" && result.issues[0]).toMatchObject({ path: ["password"], message: expect.stringMatching(message) });
    expect(hasher.runs()).toBe(0);
  });

  it("counts a password's length in characters, not bytes", async () => {
    const { auth } = setupAuth();
    expect((await auth.register({ name: "emoji", password: "🔑🔑🔑🔑🔑🔑🔑🔑" })).ok).toBe(true);
    expect((await auth.register({ name: "emoji2", password: "🔑🔑🔑🔑🔑🔑🔑" })).ok).toBe(false);
  });
});

describe("login", () => {
  it("returns an unlocked token for a user without MFA", async () => {
    const { auth, clock } = setupAuth();
    await auth.register({ name: "alice", password: PASSWORD });
    const result = await auth.login({ name: "ALICE", password: PASSWORD, ip: "203.0.113.9", userAgent: "curl/8" });
    expect(result).toMatchObject({
      ok: true,
      isUnlocked: true,
      expiresAt: clock.now() + 30 * 24 * 3600_000,
      user: { name: "alice" },
      mfa: { required: false, factors: [] },
      session: { ip: "203.0.113.9", userAgent: "curl/8", isUnlocked: true },
    });
    expect(result.ok && result.token).toMatch(/^tss_/);
  });

  it("answers an unknown name exactly like a wrong password", async () => {
    const { auth } = setupAuth();
    await auth.register({ name: "alice", password: PASSWORD });
    const wrong = await auth.login({ name: "alice", password: "not the password" });
    const unknown = await auth.login({ name: "mallory", password: "not the password" });
    expect(wrong).toEqual({ ok: false, code: "invalid_credentials" });
    expect(unknown).toEqual(wrong);
  });

  it("runs argon2 exactly once for an unknown name (against a dummy hash)", async () => {
    const { auth, hasher } = setupAuth();
    await auth.login({ name: "warm-up", password: "whatever-password" });
    hasher.reset();
    await auth.login({ name: "nobody", password: "whatever-password" });
    expect(hasher.counts).toEqual({ hash: 0, verify: 1 });
  });

  it("runs argon2 exactly once for a known name with a wrong password", async () => {
    const { auth, hasher } = setupAuth();
    await auth.register({ name: "alice", password: PASSWORD });
    hasher.reset();
    await auth.login({ name: "alice", password: "wrong password" });
    expect(hasher.counts).toEqual({ hash: 0, verify: 1 });
  });

  it("refuses the 11th failed login for one account within 15 minutes without running argon2", async () => {
    const { auth, hasher, clock } = setupAuth();
    await auth.register({ name: "alice", password: PASSWORD });
    hasher.reset();
    for (let i = 0; i < 10; i++) {
      expect(await auth.login({ name: "alice", password: `wrong-${i}-password` })).toEqual({ ok: false, code: "invalid_credentials" });
      clock.advance(60_000);
    }
    expect(hasher.runs()).toBe(10);
    const eleventh = await auth.login({ name: "alice", password: PASSWORD });
    expect(eleventh).toMatchObject({ ok: false, code: "rate_limited" });
    expect(!eleventh.ok && eleventh.code === "rate_limited" && eleventh.retryAfterSeconds).toBe(5 * 60);
    expect(hasher.runs()).toBe(10);
  });

  it("lets the account in again once the window has passed", async () => {
    const { auth, clock } = setupAuth();
    await auth.register({ name: "alice", password: PASSWORD });
    for (let i = 0; i < 10; i++) await auth.login({ name: "alice", password: "wrong password" });
    expect((await auth.login({ name: "alice", password: PASSWORD })).ok).toBe(false);
    clock.advance(15 * 60_000);
    expect((await auth.login({ name: "alice", password: PASSWORD })).ok).toBe(true);
  });

  it("resets the account counter on a successful login", async () => {
    const { auth } = setupAuth();
    await auth.register({ name: "alice", password: PASSWORD });
    for (let i = 0; i < 9; i++) await auth.login({ name: "alice", password: "wrong password" });
    expect((await auth.login({ name: "alice", password: PASSWORD })).ok).toBe(true);
    for (let i = 0; i < 10; i++) {
      expect(await auth.login({ name: "alice", password: "wrong password" })).toEqual({ ok: false, code: "invalid_credentials" });
    }
  });

  it("limits an account the same whatever the case of the name", async () => {
    const { auth } = setupAuth();
    await auth.register({ name: "alice", password: PASSWORD });
    for (let i = 0; i < 10; i++) await auth.login({ name: i % 2 ? "ALICE" : "alice", password: "wrong password" });
    expect(await auth.login({ name: "Alice", password: PASSWORD })).toMatchObject({ code: "rate_limited" });
  });

  it("lets at most 10 of 40 parallel wrong guesses reach argon2", async () => {
    const { auth, hasher } = setupAuth();
    await auth.register({ name: "alice", password: PASSWORD });
    hasher.reset();
    const results = await Promise.all(Array.from({ length: 40 }, () => auth.login({ name: "alice", password: "wrong password" })));
    expect(hasher.counts.verify).toBe(10);
    expect(results.filter((r) => !r.ok && r.code === "rate_limited")).toHaveLength(30);
  });

  it("refuses a client IP after 100 failed logins across any accounts, and only that IP", async () => {
    const { auth } = setupAuth({ rateLimits: { loginPerAccount: { max: 1000, windowMs: 900_000 } } });
    await auth.register({ name: "alice", password: PASSWORD });
    for (let i = 0; i < 100; i++) {
      expect((await auth.login({ name: `user${i % 7}`, password: "wrong password", ip: "198.51.100.7" })).ok).toBe(false);
    }
    expect(await auth.login({ name: "alice", password: PASSWORD, ip: "198.51.100.7" })).toMatchObject({ ok: false, code: "rate_limited" });
    expect((await auth.login({ name: "alice", password: PASSWORD, ip: "198.51.100.8" })).ok).toBe(true);
  });

  it("counts a whole IPv6 /64 as one client for the per-IP limit", async () => {
    const { auth } = setupAuth({ rateLimits: { loginPerIp: { max: 3, windowMs: 900_000 } } });
    await auth.register({ name: "alice", password: PASSWORD });
    for (let i = 1; i <= 3; i++) await auth.login({ name: `user${i}`, password: "wrong password", ip: `2001:db8:7:9::${i}` });
    expect(await auth.login({ name: "alice", password: PASSWORD, ip: "2001:db8:7:9:ffff::42" })).toMatchObject({ code: "rate_limited" });
    expect((await auth.login({ name: "alice", password: PASSWORD, ip: "2001:db8:7:a::1" })).ok).toBe(true);
  });

  it("does not count successful logins against the client IP", async () => {
    const { auth } = setupAuth({ rateLimits: { loginPerIp: { max: 3, windowMs: 900_000 } } });
    await auth.register({ name: "alice", password: PASSWORD });
    for (let i = 0; i < 10; i++) expect((await auth.login({ name: "alice", password: PASSWORD, ip: "192.0.2.1" })).ok).toBe(true);
  });

  it("rejects input no account could match without hashing", async () => {
    const { auth, hasher } = setupAuth();
    hasher.reset();
    expect(await auth.login({ name: "", password: PASSWORD })).toEqual({ ok: false, code: "invalid_credentials" });
    expect(await auth.login({ name: "alice", password: "x".repeat(5000) })).toEqual({ ok: false, code: "invalid_credentials" });
    expect(await auth.login({ name: 42, password: null } as unknown as { name: string; password: string })).toEqual({ ok: false, code: "invalid_credentials" });
    expect(hasher.runs()).toBe(0);
  });

  it("answers busy instead of queueing without bound when hashing is saturated", async () => {
    const { auth } = setupAuth({ password: { maxConcurrent: 1, maxQueued: 1 } });
    await auth.register({ name: "alice", password: PASSWORD });
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        auth.login({ name: "alice", password: PASSWORD }).then(
          (r) => (r.ok ? "ok" : r.code),
          (e: unknown) => (isAuthError(e) ? e.code : "other"),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "busy")).toHaveLength(4);
  });

  it("gives a user with confirmed TOTP a LOCKED token", async () => {
    const { auth, memory, clock } = setupAuth();
    const reg = await auth.register({ name: "alice", password: PASSWORD });
    if (!reg.ok) throw new Error("register");
    await memory.users.update(reg.user.id, { totp: { secret: "ciphertext", confirmedAt: clock.now() } });
    const login = await auth.login({ name: "alice", password: PASSWORD });
    expect(login).toMatchObject({ ok: true, isUnlocked: false, mfa: { required: true, factors: ["totp", "recovery"] }, expiresAt: clock.now() + 10 * 60_000 });
  });
});

describe("validate, logout and sessions", () => {
  it("validates a fresh token and reports the user", async () => {
    const { auth } = setupAuth();
    const { token, userId, sessionId } = await registerAndLogin(auth);
    expect(await auth.validate(token)).toMatchObject({ ok: true, user: { id: userId, name: "alice" }, session: { id: sessionId, isUnlocked: true } });
  });

  it("rejects unknown, malformed and forged tokens identically and without any store write", async () => {
    const { auth, counting } = setupAuth();
    const { token } = await registerAndLogin(auth);
    const forged = `${token.slice(0, 26)}${"A".repeat(43)}`;
    counting.reset();
    const results = await Promise.all(
      ["", "garbage", `tss_${"x".repeat(65)}`, forged, token.toUpperCase(), `${token} `].map((t) => auth.validate(t)),
    );
    for (const result of results) expect(result).toEqual({ ok: false, code: "invalid_token" });
    expect(counting.writes()).toEqual([]);
  });

  it("ends the session on logout, after which the token is invalid", async () => {
    const { auth } = setupAuth();
    const { token } = await registerAndLogin(auth);
    expect(await auth.logout(token)).toEqual({ ok: true });
    expect(await auth.validate(token)).toEqual({ ok: false, code: "invalid_token" });
    expect(await auth.logout(token)).toEqual({ ok: false, code: "invalid_token" });
  });

  it("refuses a LOCKED token for protected use but still reports it and lets it log out", async () => {
    const { auth, memory, clock } = setupAuth();
    const reg = await auth.register({ name: "alice", password: PASSWORD });
    if (!reg.ok) throw new Error("register");
    await memory.users.update(reg.user.id, { totp: { secret: "ciphertext", confirmedAt: clock.now() } });
    const login = await auth.login({ name: "alice", password: PASSWORD });
    if (!login.ok) throw new Error("login");
    expect(await auth.validate(login.token)).toMatchObject({ ok: true, session: { isUnlocked: false } });
    expect(await auth.validate(login.token, { requireUnlocked: true })).toEqual({ ok: false, code: "token_locked" });
    expect(await auth.logout(login.token)).toEqual({ ok: true });
  });

  it("lists a user's sessions newest first, marks the current one and shows no token material", async () => {
    const { auth, clock } = setupAuth();
    const first = await registerAndLogin(auth);
    clock.advance(1000);
    const second = await auth.login({ name: "alice", password: PASSWORD, ip: "192.0.2.4" });
    if (!second.ok) throw new Error("login");
    await registerAndLogin(auth, "bob");
    const listing = await auth.listSessions({ userId: first.userId, currentSessionId: first.sessionId });
    expect(listing.map((s) => [s.id, s.current])).toEqual([
      [second.session.id, false],
      [first.sessionId, true],
    ]);
    const json = JSON.stringify(listing);
    for (const token of [first.token, second.token]) {
      const { secret } = parseToken(token, "tss_")!;
      expect(json).not.toContain(secret);
      expect(json).not.toContain(hashSecret(secret));
    }
    expect(Object.keys(listing[0]!).sort()).toEqual(["createdAt", "current", "expiresAt", "id", "ip", "isUnlocked", "lastSeenAt", "userAgent", "userId"]);
  });

  it("revokes one of the user's own sessions but treats another user's as not found", async () => {
    const { auth } = setupAuth();
    const alice = await registerAndLogin(auth);
    const bob = await registerAndLogin(auth, "bob");
    expect(await auth.revokeSession({ userId: bob.userId, sessionId: alice.sessionId })).toBe(false);
    expect((await auth.validate(alice.token)).ok).toBe(true);
    expect(await auth.revokeSession({ userId: alice.userId, sessionId: alice.sessionId })).toBe(true);
    expect((await auth.validate(alice.token)).ok).toBe(false);
    expect(await auth.revokeSession({ userId: alice.userId, sessionId: alice.sessionId })).toBe(false);
  });

  it("logs out everywhere, optionally keeping the current session, and leaves other users alone", async () => {
    const { auth } = setupAuth();
    const a1 = await registerAndLogin(auth);
    const a2 = await auth.login({ name: "alice", password: PASSWORD });
    const a3 = await auth.login({ name: "alice", password: PASSWORD });
    const bob = await registerAndLogin(auth, "bob");
    if (!a2.ok || !a3.ok) throw new Error("login");
    expect(await auth.logoutAll({ userId: a1.userId, keepSessionId: a1.sessionId })).toEqual({ revoked: 2 });
    expect((await auth.validate(a1.token)).ok).toBe(true);
    expect((await auth.validate(a2.token)).ok).toBe(false);
    expect((await auth.validate(bob.token)).ok).toBe(true);
    expect(await auth.logoutAll({ userId: a1.userId })).toEqual({ revoked: 1 });
    expect((await auth.validate(a1.token)).ok).toBe(false);
  });
});

describe("changePassword", () => {
  it("changes the password and revokes every other session, keeping the current one", async () => {
    const { auth } = setupAuth();
    const current = await registerAndLogin(auth);
    const other = await auth.login({ name: "alice", password: PASSWORD });
    if (!other.ok) throw new Error("login");
    const result = await auth.changePassword({ userId: current.userId, currentPassword: PASSWORD, newPassword: "a brand new passphrase", keepSessionId: current.sessionId });
    expect(result).toEqual({ ok: true, revoked: 1 });
    expect((await auth.validate(current.token)).ok).toBe(true);
    expect((await auth.validate(other.token)).ok).toBe(false);
    expect((await auth.login({ name: "alice", password: PASSWORD })).ok).toBe(false);
    expect((await auth.login({ name: "alice", password: "a brand new passphrase" })).ok).toBe(true);
  });

  it("refuses a wrong current password and a weak new one", async () => {
    const { auth } = setupAuth();
    const { userId } = await registerAndLogin(auth);
    expect(await auth.changePassword({ userId, currentPassword: "wrong password", newPassword: "a brand new passphrase" })).toEqual({ ok: false, code: "invalid_credentials" });
    expect(await auth.changePassword({ userId, currentPassword: PASSWORD, newPassword: "short" })).toMatchObject({ ok: false, code: "invalid_request" });
  });

  it("lets exactly one of 10 concurrent changes from the same old password land", async () => {
    const { auth } = setupAuth();
    const { userId } = await registerAndLogin(auth);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => auth.changePassword({ userId, currentPassword: PASSWORD, newPassword: `new passphrase number ${i}` })),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(winners).toHaveLength(1);
    expect((await auth.login({ name: "alice", password: `new passphrase number ${winners[0]}` })).ok).toBe(true);
  });
});

describe("secrets at rest and in events", () => {
  it("stores no raw token after a login, only the SHA-256 digest of its secret", async () => {
    const { auth, memory } = setupAuth();
    const { token } = await registerAndLogin(auth);
    const dump = JSON.stringify(memory.dump());
    const { secret } = parseToken(token, "tss_")!;
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(secret);
    expect(dump).toContain(hashSecret(secret));
  });

  it("stores no password in clear", async () => {
    const { auth, memory } = setupAuth();
    await registerAndLogin(auth);
    expect(JSON.stringify(memory.dump())).not.toContain(PASSWORD);
  });

  it("emits typed events that never carry a password or a token", async () => {
    const { auth, events } = setupAuth();
    const { token, userId, sessionId } = await registerAndLogin(auth);
    await auth.login({ name: "alice", password: "the wrong password" });
    await auth.changePassword({ userId, currentPassword: PASSWORD, newPassword: "another passphrase!", keepSessionId: sessionId });
    await auth.logout(token);
    expect(events.map((e) => e.type)).toEqual(["user.registered", "login.succeeded", "login.failed", "password.changed", "session.revoked"]);
    const json = JSON.stringify(events);
    for (const secret of [PASSWORD, "the wrong password", "another passphrase!", token, parseToken(token, "tss_")!.secret]) {
      expect(json).not.toContain(secret);
    }
  });

  it("ignores an event listener that throws", async () => {
    const auth = createAuth({
      secret: TEST_SECRET,
      store: createTestStore(),
      password: { memoryCost: 1024, timeCost: 1 },
      onEvent: () => {
        throw new Error("listener bug");
      },
    });
    const { token } = await registerAndLogin(auth);
    expect((await auth.validate(token)).ok).toBe(true);
  });
});

describe("password re-hashing", () => {
  it("upgrades a hash weaker than the policy on the next successful login, and only then", async () => {
    const { auth, memory, hasher, events } = setupAuth({ argon2: { memoryCost: 2048, timeCost: 2, parallelism: 1 } });
    const weak = await createArgon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }).hash(PASSWORD);
    const now = Date.now();
    await memory.users.create({ id: "u-weak", name: "weak", nameKey: "weak", passwordHash: weak, totp: null, createdAt: now, updatedAt: now });
    await auth.login({ name: "weak", password: "not the password" });
    expect((await memory.users.getById("u-weak"))!.passwordHash).toBe(weak);
    hasher.reset();
    expect((await auth.login({ name: "weak", password: PASSWORD })).ok).toBe(true);
    const upgraded = (await memory.users.getById("u-weak"))!.passwordHash;
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=2048,t=2,p=1\$/);
    expect(hasher.counts).toEqual({ hash: 1, verify: 1 });
    expect(events.map((e) => e.type)).toContain("password.rehashed");
    expect((await auth.login({ name: "weak", password: PASSWORD })).ok).toBe(true);
    expect((await memory.users.getById("u-weak"))!.passwordHash).toBe(upgraded);
  });
});

describe("login with the reference argon2 vectors (default policy)", () => {
  const vectors = loadVectors<Argon2Vectors>("argon2.json");

  for (const [index, vector] of vectors.cases.entries()) {
    it(`behaves as the vector says: ${vector.note}`, async () => {
      const { auth, memory } = setupAuth({ argon2: DEFAULT_ARGON2_PARAMS });
      const now = Date.now();
      const id = `vector-${index}`;
      await memory.users.create({ id, name: id, nameKey: id, passwordHash: vector.hash, totp: null, createdAt: now, updatedAt: now });
      const login = await auth.login({ name: id, password: vector.password });
      const stored = (await memory.users.getById(id))!.passwordHash;
      if (vector.mustFail) {
        expect(login).toEqual({ ok: false, code: "invalid_credentials" });
        expect(stored).toBe(vector.hash);
        return;
      }
      expect(login.ok).toBe(true);
      const shouldRehash = /weaker than policy|argon2i legacy/.test(vector.note);
      if (shouldRehash) {
        expect(stored).not.toBe(vector.hash);
        expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        expect((await auth.login({ name: id, password: vector.password })).ok).toBe(true);
      } else {
        expect(stored).toBe(vector.hash);
      }
    });
  }
});

describe("a failing store", () => {
  it("fails closed with store_unavailable on every operation and never authenticates", async () => {
    const auth = createAuth({ secret: TEST_SECRET, store: failingStore(), password: { memoryCost: 1024, timeCost: 1 } });
    const token = `tss_${"A".repeat(65)}`;
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["register", () => auth.register({ name: "alice", password: PASSWORD })],
      ["login", () => auth.login({ name: "alice", password: PASSWORD })],
      ["validate", () => auth.validate(token)],
      ["logout", () => auth.logout(token)],
      ["logoutAll", () => auth.logoutAll({ userId: "u" })],
      ["listSessions", () => auth.listSessions({ userId: "u" })],
      ["revokeSession", () => auth.revokeSession({ userId: "u", sessionId: "s" })],
      ["changePassword", () => auth.changePassword({ userId: "u", currentPassword: PASSWORD, newPassword: "new passphrase" })],
    ];
    for (const [name, attempt] of attempts) {
      const error = await attempt().then(() => null, (e: unknown) => e);
      expect({ name, code: isAuthError(error) ? error.code : error }).toEqual({ name, code: "store_unavailable" });
      expect(isAuthError(error) && (error.cause as Error).message).toMatch(/ECONNREFUSED/);
    }
    expect(await auth.health()).toEqual({ ok: false, reason: "store_unavailable" });
  });

  it("fails closed when the store breaks between login and validation", async () => {
    const memory = createTestStore();
    let down = false;
    const counting = countingStore(memory);
    const flaky: Store = {
      ...counting.store,
      sessions: new Proxy(counting.store.sessions, {
        get: (target, key) => {
          const value = Reflect.get(target, key) as unknown;
          if (typeof value !== "function") return value;
          return (...args: unknown[]) => (down ? Promise.reject(new Error("timeout")) : (value as (...a: unknown[]) => unknown)(...args));
        },
      }),
    };
    const auth = createAuth({ secret: TEST_SECRET, store: flaky, password: { memoryCost: 1024, timeCost: 1 } });
    const { token } = await registerAndLogin(auth);
    down = true;
    await expect(auth.validate(token)).rejects.toMatchObject({ code: "store_unavailable" });
    down = false;
    expect((await auth.validate(token)).ok).toBe(true);
  });
});
