import { describe, expect, it } from "vitest";
import type { PasswordHasher, Store } from "../src/index.js";
import { createArgon2Hasher, createAuth, totpCode } from "../src/index.js";
import { manualClock } from "./support/clock.js";
import { PASSWORD, decodeBase32 } from "./support/mfa.js";
import { FAST_ARGON2, TEST_SECRET, registerAndLogin } from "./support/setup.js";
import { createTestStore } from "./support/store.js";

/** A promise a test opens when it chooses. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** argon2 whose next `verify` waits at a gate: a login caught mid-check, as on a busy server. */
function pausableHasher(): { hasher: PasswordHasher; pauseNextVerify: () => { reached: Promise<void>; resume: () => void } } {
  const inner = createArgon2Hasher(FAST_ARGON2);
  let pending: { reached: () => void; resume: Promise<void> } | null = null;
  return {
    hasher: {
      hash: (password) => inner.hash(password),
      needsRehash: (hash) => inner.needsRehash(hash),
      async verify(hash, password) {
        const result = await inner.verify(hash, password);
        const pause = pending;
        pending = null;
        if (pause) {
          pause.reached();
          await pause.resume;
        }
        return result;
      },
    },
    pauseNextVerify() {
      const reached = gate();
      const resume = gate();
      pending = { reached: reached.open, resume: resume.wait };
      return { reached: reached.wait, resume: resume.open };
    },
  };
}

function setup(makeStore: (now: () => number) => Store = (now) => createTestStore({ now })) {
  const clock = manualClock();
  const store = makeStore(() => clock.now());
  const { hasher, pauseNextVerify } = pausableHasher();
  const auth = createAuth({ secret: TEST_SECRET, store, clock, password: { hasher } });
  return { auth, clock, store, pauseNextVerify };
}

describe("logins and unlocks racing credential changes", () => {
  it("does not let a login checked against the old password outlive a password change", async () => {
    const { auth, store, pauseNextVerify } = setup();
    const { userId, sessionId } = await registerAndLogin(auth);
    const paused = pauseNextVerify();
    const login = auth.login({ name: "alice", password: PASSWORD });
    await paused.reached; // the old password has just been verified
    expect(await auth.changePassword({ userId, currentPassword: PASSWORD, newPassword: "a brand new passphrase", keepSessionId: sessionId })).toMatchObject({ ok: true });
    paused.resume();
    expect(await login).toEqual({ ok: false, code: "invalid_credentials" });
    expect((await store.sessions.listByUser(userId)).map((s) => s.id)).toEqual([sessionId]);
  });

  it("does not hand out an ACTIVE session to a login that raced the confirmation of MFA", async () => {
    const { auth, clock, store, pauseNextVerify } = setup();
    const { userId, sessionId } = await registerAndLogin(auth);
    const begun = await auth.mfa.beginTotp(userId);
    if (!begun.ok) throw new Error("begin");
    const paused = pauseNextVerify();
    const login = auth.login({ name: "alice", password: PASSWORD });
    await paused.reached;
    expect((await auth.mfa.confirmTotp(userId, totpCode(decodeBase32(begun.secret), clock.now()))).ok).toBe(true);
    paused.resume();
    expect(await login).toEqual({ ok: false, code: "invalid_credentials" });
    expect((await store.sessions.listByUser(userId)).map((s) => s.id)).toEqual([sessionId]);
  });

  it("still lets a login through when only a re-hash changed the stored hash meanwhile", async () => {
    const { auth, store, pauseNextVerify } = setup();
    const { userId } = await registerAndLogin(auth);
    const paused = pauseNextVerify();
    const login = auth.login({ name: "alice", password: PASSWORD });
    await paused.reached;
    const rehashed = await createArgon2Hasher(FAST_ARGON2).hash(PASSWORD);
    const user = (await store.users.getById(userId))!;
    await store.users.update(userId, { passwordHash: rehashed }, { passwordHash: user.passwordHash });
    paused.resume();
    expect((await login).ok).toBe(true);
  });

  it("does not let an unlock caught between its claim and its new session outlive a password change", async () => {
    let memory!: ReturnType<typeof createTestStore>;
    let hold: { reached: () => void; resume: Promise<void> } | null = null;
    const wrap = (now: () => number): Store => {
      memory = createTestStore({ now });
      return {
      ...memory,
      sessions: {
        ...memory.sessions,
        create: async (session) => {
          const pause = session.state === "active" ? hold : null;
          hold = null;
          if (pause) {
            pause.reached();
            await pause.resume;
          }
          return memory.sessions.create(session);
        },
        get: (id) => memory.sessions.get(id),
        update: (id, patch, expected) => memory.sessions.update(id, patch, expected),
        delete: (id) => memory.sessions.delete(id),
        listByUser: (userId) => memory.sessions.listByUser(userId),
        deleteByUser: (userId, exceptId) => memory.sessions.deleteByUser(userId, exceptId),
        deleteExpired: (now) => memory.sessions.deleteExpired(now),
        recordFailedAttempt: (id) => memory.sessions.recordFailedAttempt(id),
      },
      };
    };
    const { auth, clock } = setup(wrap);
    const { userId, sessionId } = await registerAndLogin(auth);
    const begun = await auth.mfa.beginTotp(userId);
    if (!begun.ok) throw new Error("begin");
    const secret = decodeBase32(begun.secret);
    await auth.mfa.confirmTotp(userId, totpCode(secret, clock.now()));
    clock.advance(60_000);
    const locked = await auth.login({ name: "alice", password: PASSWORD });
    if (!locked.ok) throw new Error("login");

    const reached = gate();
    const resume = gate();
    hold = { reached: reached.open, resume: resume.wait };
    const unlock = auth.unlock(locked.token, { factor: "totp", code: totpCode(secret, clock.now()) });
    await reached.wait; // the locked session is gone, the active one not yet written
    expect((await auth.changePassword({ userId, currentPassword: PASSWORD, newPassword: "a brand new passphrase", keepSessionId: sessionId })).ok).toBe(true);
    resume.open();
    expect(await unlock).toEqual({ ok: false, code: "invalid_token" });
    expect((await memory.sessions.listByUser(userId)).map((s) => s.id)).toEqual([sessionId]);
  });
});

describe("event listeners", () => {
  it("survives an async listener that rejects, without an unhandled rejection", async () => {
    const auth = createAuth({
      secret: TEST_SECRET,
      store: createTestStore(),
      password: { hasher: createArgon2Hasher(FAST_ARGON2) },
      onEvent: async () => {
        throw new Error("audit log database is down");
      },
    });
    const { token } = await registerAndLogin(auth);
    expect(await auth.login({ name: "alice", password: "wrong password" })).toEqual({ ok: false, code: "invalid_credentials" });
    expect((await auth.validate(token)).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10)); // let any rejection surface
  });
});

describe("password length", () => {
  it("lets every password the policy accepts log in, however many UTF-16 units it takes", async () => {
    const auth = createAuth({ secret: TEST_SECRET, store: createTestStore(), password: { hasher: createArgon2Hasher(FAST_ARGON2) } });
    const password = "🔑".repeat(1000); // 1000 characters, 2000 UTF-16 units
    expect((await auth.register({ name: "emoji", password })).ok).toBe(true);
    expect((await auth.login({ name: "emoji", password })).ok).toBe(true);
    expect((await auth.register({ name: "emoji2", password: "🔑".repeat(1025) })).ok).toBe(false);
  });
});
