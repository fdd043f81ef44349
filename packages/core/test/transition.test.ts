import { describe, expect, it } from "vitest";
import type { SessionEvent, SessionPolicy, SessionState, TransitionResult } from "../src/index.js";
import { transition } from "../src/index.js";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2026, 0, 1);

const policy: SessionPolicy = {
  sessionTtl: 30 * DAY,
  lockedTtl: 10 * MIN,
  idleTimeout: null,
  slide: false,
  maxLifetime: 365 * DAY,
  touchInterval: MIN,
  maxUnlockAttempts: 5,
  rotateOnUnlock: true,
};

const none: SessionState = { status: "none" };
const locked: SessionState = { status: "locked", createdAt: T0, expiresAt: T0 + 10 * MIN, failedAttempts: 0 };
const active: SessionState = { status: "active", createdAt: T0, expiresAt: T0 + 30 * DAY, lastSeenAt: T0 };
const revoked: SessionState = { status: "revoked", reason: "logout" };
const expired: SessionState = { status: "expired", reason: "absolute" };

const events: Record<string, SessionEvent> = {
  "login (no MFA)": { type: "login", mfaRequired: false },
  "login (MFA)": { type: "login", mfaRequired: true },
  validate: { type: "validate" },
  "unlock succeeded": { type: "unlock_succeeded" },
  "unlock failed": { type: "unlock_failed", failedAttempts: 1 },
  logout: { type: "revoke", reason: "logout" },
  revoke: { type: "revoke", reason: "revoked" },
  "logout all": { type: "revoke", reason: "logout_all" },
  "password change": { type: "revoke", reason: "password_changed" },
  "MFA reset": { type: "revoke", reason: "mfa_disabled" },
};

const states: Record<string, SessionState> = { none, locked, active, revoked, expired };

/** What every (state, event) pair must produce one minute after T0: a status, or an error. */
const expected: Record<string, Record<string, string>> = {
  none: {
    "login (no MFA)": "active",
    "login (MFA)": "locked",
    validate: "error:invalid_transition",
    "unlock succeeded": "error:invalid_transition",
    "unlock failed": "error:invalid_transition",
    logout: "error:invalid_transition",
    revoke: "error:invalid_transition",
    "logout all": "error:invalid_transition",
    "password change": "error:invalid_transition",
    "MFA reset": "error:invalid_transition",
  },
  locked: {
    "login (no MFA)": "error:invalid_transition",
    "login (MFA)": "error:invalid_transition",
    validate: "locked",
    "unlock succeeded": "active",
    "unlock failed": "locked",
    logout: "revoked",
    revoke: "revoked",
    "logout all": "revoked",
    "password change": "revoked",
    "MFA reset": "revoked",
  },
  active: {
    "login (no MFA)": "error:invalid_transition",
    "login (MFA)": "error:invalid_transition",
    validate: "active",
    "unlock succeeded": "error:already_unlocked",
    "unlock failed": "error:already_unlocked",
    logout: "revoked",
    revoke: "revoked",
    "logout all": "revoked",
    "password change": "revoked",
    "MFA reset": "revoked",
  },
  revoked: Object.fromEntries(Object.keys(events).map((e) => [e, "error:session_ended"])),
  expired: Object.fromEntries(Object.keys(events).map((e) => [e, "error:session_ended"])),
};

const outcome = (result: TransitionResult): string => (result.ok ? result.state.status : `error:${result.error}`);

describe("transition: every state × every event", () => {
  for (const [stateName, state] of Object.entries(states)) {
    for (const [eventName, event] of Object.entries(events)) {
      const want = expected[stateName]![eventName]!;
      const kind = want.startsWith("error:") ? "forbids" : "allows";
      it(`${kind} ${eventName} from ${stateName} (${want})`, () => {
        expect(outcome(transition(state, event, T0 + MIN, policy))).toBe(want);
      });
    }
  }
});

describe("transition: effects", () => {
  it("creates an ACTIVE session living sessionTtl on a login without MFA", () => {
    const r = transition(none, { type: "login", mfaRequired: false }, T0, policy);
    expect(r).toEqual({
      ok: true,
      state: { status: "active", createdAt: T0, expiresAt: T0 + 30 * DAY, lastSeenAt: T0 },
      effects: [{ type: "create", state: "active", expiresAt: T0 + 30 * DAY }],
    });
  });

  it("creates a LOCKED session living lockedTtl on a login with MFA", () => {
    const r = transition(none, { type: "login", mfaRequired: true }, T0, policy);
    expect(r.ok && r.effects).toEqual([{ type: "create", state: "locked", expiresAt: T0 + 10 * MIN }]);
  });

  it("rotates the token on unlock by default, and activates in place with rotateOnUnlock: false", () => {
    const rotate = transition(locked, { type: "unlock_succeeded" }, T0 + MIN, policy);
    expect(rotate.ok && rotate.effects).toEqual([{ type: "rotate", expiresAt: T0 + MIN + 30 * DAY }]);
    const keep = transition(locked, { type: "unlock_succeeded" }, T0 + MIN, { ...policy, rotateOnUnlock: false });
    expect(keep.ok && keep.effects).toEqual([{ type: "activate", expiresAt: T0 + MIN + 30 * DAY }]);
  });

  it("counts wrong codes and ends the locked session at maxUnlockAttempts", () => {
    const fourth = transition(locked, { type: "unlock_failed", failedAttempts: 4 }, T0 + MIN, policy);
    expect(fourth.ok && fourth.state).toEqual({ ...locked, failedAttempts: 4 });
    expect(fourth.ok && fourth.effects).toEqual([]);
    const fifth = transition(locked, { type: "unlock_failed", failedAttempts: 5 }, T0 + MIN, policy);
    expect(fifth.ok && fifth.state).toEqual({ status: "revoked", reason: "too_many_attempts" });
    expect(fifth.ok && fifth.effects).toEqual([{ type: "delete" }]);
  });

  it("deletes the session on every revocation", () => {
    for (const state of [locked, active]) {
      const r = transition(state, { type: "revoke", reason: "logout" }, T0 + MIN, policy);
      expect(r.ok && r.effects).toEqual([{ type: "delete" }]);
    }
  });

  it("writes nothing when a fresh session is validated within the touch interval", () => {
    const r = transition(active, { type: "validate" }, T0 + MIN - 1, policy);
    expect(r.ok && r.effects).toEqual([]);
  });

  it("touches lastSeenAt once the touch interval has passed", () => {
    const r = transition(active, { type: "validate" }, T0 + MIN, policy);
    expect(r.ok && r.effects).toEqual([{ type: "touch", lastSeenAt: T0 + MIN }]);
  });
});

describe("transition: expiry", () => {
  it("keeps an ACTIVE session at expiresAt − 1 ms and expires it at expiresAt", () => {
    const before = transition(active, { type: "validate" }, T0 + 30 * DAY - 1, policy);
    expect(outcome(before)).toBe("active");
    const at = transition(active, { type: "validate" }, T0 + 30 * DAY, policy);
    expect(at.ok && at.state).toEqual({ status: "expired", reason: "absolute" });
    expect(at.ok && at.effects).toEqual([{ type: "delete" }]);
  });

  it("expires a LOCKED session at its TTL, so it can no longer be unlocked", () => {
    const r = transition(locked, { type: "unlock_succeeded" }, T0 + 10 * MIN, policy);
    expect(r.ok && r.state).toEqual({ status: "expired", reason: "locked_ttl" });
  });

  it("expires an idle session when idleTimeout has passed since lastSeenAt", () => {
    const idle = { ...policy, idleTimeout: 30 * MIN };
    expect(outcome(transition(active, { type: "validate" }, T0 + 30 * MIN - 1, idle))).toBe("active");
    const r = transition(active, { type: "validate" }, T0 + 30 * MIN, idle);
    expect(r.ok && r.state).toEqual({ status: "expired", reason: "idle" });
  });

  it("checks expiry before a revocation too, so the caller can tell the token was already dead", () => {
    const r = transition(active, { type: "revoke", reason: "logout" }, T0 + 31 * DAY, policy);
    expect(r.ok && r.state.status).toBe("expired");
  });
});

describe("transition: sliding renewal", () => {
  const sliding = { ...policy, slide: true, maxLifetime: 45 * DAY };

  it("does not renew while more than half the lifetime remains", () => {
    const r = transition(active, { type: "validate" }, T0 + 15 * DAY - MIN, { ...sliding, touchInterval: DAY * 100 });
    expect(r.ok && r.effects).toEqual([]);
  });

  it("renews to now + sessionTtl once less than half remains", () => {
    const now = T0 + 15 * DAY + 1;
    const r = transition(active, { type: "validate" }, now, sliding);
    expect(r.ok && r.effects).toContainEqual({ type: "renew", expiresAt: T0 + 45 * DAY });
  });

  it("never moves expiry past createdAt + maxLifetime", () => {
    const late: SessionState = { ...active, expiresAt: T0 + 45 * DAY, lastSeenAt: T0 + 40 * DAY };
    const r = transition(late, { type: "validate" }, T0 + 44 * DAY, { ...sliding, touchInterval: 100 * DAY });
    expect(r.ok && r.effects).toEqual([]);
    expect(r.ok && r.state.status === "active" && r.state.expiresAt).toBe(T0 + 45 * DAY);
  });
});
