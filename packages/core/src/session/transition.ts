/**
 * The session state machine (DESIGN §2) as a pure function.
 *
 *   (none) ── login, no MFA ──────────────────────────► ACTIVE
 *   (none) ── login, MFA on ──► LOCKED ── unlock ok ──► ACTIVE (new token; the locked one dies)
 *   LOCKED ── too many wrong codes / TTL passed / logout / revoke ──► gone
 *   ACTIVE ── logout / revoke / logout-all / password change / MFA reset ──► REVOKED (gone)
 *   ACTIVE ── now ≥ expiresAt, or idle timeout passed ──► EXPIRED (gone)
 *
 * `transition` decides; it never touches a store. Core performs the returned effects, and
 * adapters persist them atomically. Every event on a LOCKED or ACTIVE session first checks
 * expiry, so an expired session can never be unlocked, renewed or used.
 */

export type SessionState =
  | { readonly status: "none" }
  | {
      readonly status: "locked";
      readonly createdAt: number;
      readonly expiresAt: number;
      readonly failedAttempts: number;
    }
  | {
      readonly status: "active";
      readonly createdAt: number;
      readonly expiresAt: number;
      readonly lastSeenAt: number;
    }
  | { readonly status: "revoked"; readonly reason: EndReason }
  | { readonly status: "expired"; readonly reason: ExpiryReason };

export type SessionStatus = SessionState["status"];

/** Why a session was ended on purpose. */
export type EndReason =
  | "logout"
  | "revoked"
  | "logout_all"
  | "password_changed"
  | "mfa_disabled"
  | "too_many_attempts";

/** Why a session ran out. */
export type ExpiryReason = "absolute" | "idle" | "locked_ttl";

export type SessionEvent =
  /** Password verified; `mfaRequired` when the user has a confirmed second factor. */
  | { readonly type: "login"; readonly mfaRequired: boolean }
  /** The token was presented. */
  | { readonly type: "validate" }
  /** A correct second factor was presented for a locked token. */
  | { readonly type: "unlock_succeeded" }
  /**
   * A wrong second factor was presented. `failedAttempts` is the count after this failure, as
   * returned by the store's atomic `recordFailedAttempt`, so concurrent failures are all counted.
   */
  | { readonly type: "unlock_failed"; readonly failedAttempts: number }
  /** The session is ended on purpose. */
  | { readonly type: "revoke"; readonly reason: Exclude<EndReason, "too_many_attempts"> };

export type SessionEffect =
  /** Persist a new session in this state. */
  | { readonly type: "create"; readonly state: "locked" | "active"; readonly expiresAt: number }
  /** Delete the stored session. */
  | { readonly type: "delete" }
  /** Issue a new ACTIVE session and delete the locked one (fixation defence). */
  | { readonly type: "rotate"; readonly expiresAt: number }
  /** Turn the locked session active in place (`rotateOnUnlock: false`). */
  | { readonly type: "activate"; readonly expiresAt: number }
  /** Move the absolute expiry forward (sliding renewal). */
  | { readonly type: "renew"; readonly expiresAt: number }
  /** Record activity (throttled `lastSeenAt`). */
  | { readonly type: "touch"; readonly lastSeenAt: number };

export type TransitionError =
  /** The event makes no sense in this state (e.g. validating a session that does not exist). */
  | "invalid_transition"
  /** Unlocking a session that is already active. */
  | "already_unlocked"
  /** The session already ended; nothing can happen to it any more. */
  | "session_ended";

export type TransitionResult =
  | { readonly ok: true; readonly state: SessionState; readonly effects: readonly SessionEffect[] }
  | { readonly ok: false; readonly error: TransitionError };

/** The lifetime rules `transition` applies. Core builds this from the configuration. */
export interface SessionPolicy {
  /** Lifetime of an ACTIVE session from login (or unlock), in ms. */
  readonly sessionTtl: number;
  /** Lifetime of a LOCKED session, in ms. */
  readonly lockedTtl: number;
  /** End a session unused for this long (ms), or `null` for no idle timeout. */
  readonly idleTimeout: number | null;
  /** Sliding renewal: when less than half the lifetime remains, move expiry forward. */
  readonly slide: boolean;
  /** With `slide`, no session lives past `createdAt + maxLifetime`. */
  readonly maxLifetime: number;
  /** `lastSeenAt` is written at most this often (ms). */
  readonly touchInterval: number;
  /** Wrong codes a LOCKED session survives; the one that reaches this number ends it. */
  readonly maxUnlockAttempts: number;
  /** Unlock issues a new token (default) or keeps the locked one. */
  readonly rotateOnUnlock: boolean;
}

const fail = (error: TransitionError): TransitionResult => ({ ok: false, error });
const ok = (state: SessionState, effects: readonly SessionEffect[] = []): TransitionResult => ({
  ok: true,
  state,
  effects,
});

export function transition(
  state: SessionState,
  event: SessionEvent,
  now: number,
  policy: SessionPolicy,
): TransitionResult {
  switch (state.status) {
    case "none":
      return fromNone(event, now, policy);
    case "locked":
      return fromLocked(state, event, now, policy);
    case "active":
      return fromActive(state, event, now, policy);
    case "revoked":
    case "expired":
      return fail("session_ended");
  }
}

function fromNone(event: SessionEvent, now: number, policy: SessionPolicy): TransitionResult {
  if (event.type !== "login") return fail("invalid_transition");
  if (event.mfaRequired) {
    const expiresAt = now + policy.lockedTtl;
    return ok({ status: "locked", createdAt: now, expiresAt, failedAttempts: 0 }, [
      { type: "create", state: "locked", expiresAt },
    ]);
  }
  const expiresAt = initialExpiry(now, policy);
  return ok({ status: "active", createdAt: now, expiresAt, lastSeenAt: now }, [
    { type: "create", state: "active", expiresAt },
  ]);
}

function fromLocked(
  state: Extract<SessionState, { status: "locked" }>,
  event: SessionEvent,
  now: number,
  policy: SessionPolicy,
): TransitionResult {
  if (event.type === "login") return fail("invalid_transition");
  if (now >= state.expiresAt) return ok({ status: "expired", reason: "locked_ttl" }, [{ type: "delete" }]);
  switch (event.type) {
    case "validate":
      return ok(state);
    case "unlock_succeeded": {
      const expiresAt = initialExpiry(now, policy);
      return ok({ status: "active", createdAt: now, expiresAt, lastSeenAt: now }, [
        policy.rotateOnUnlock ? { type: "rotate", expiresAt } : { type: "activate", expiresAt },
      ]);
    }
    case "unlock_failed":
      if (event.failedAttempts >= policy.maxUnlockAttempts) {
        return ok({ status: "revoked", reason: "too_many_attempts" }, [{ type: "delete" }]);
      }
      return ok({ ...state, failedAttempts: event.failedAttempts });
    case "revoke":
      return ok({ status: "revoked", reason: event.reason }, [{ type: "delete" }]);
  }
}

function fromActive(
  state: Extract<SessionState, { status: "active" }>,
  event: SessionEvent,
  now: number,
  policy: SessionPolicy,
): TransitionResult {
  if (event.type === "login") return fail("invalid_transition");
  const expiry = expiryReason(state, now, policy);
  if (expiry !== null) return ok({ status: "expired", reason: expiry }, [{ type: "delete" }]);
  switch (event.type) {
    case "validate":
      return onValidateActive(state, now, policy);
    case "unlock_succeeded":
    case "unlock_failed":
      return fail("already_unlocked");
    case "revoke":
      return ok({ status: "revoked", reason: event.reason }, [{ type: "delete" }]);
  }
}

function expiryReason(
  state: Extract<SessionState, { status: "active" }>,
  now: number,
  policy: SessionPolicy,
): ExpiryReason | null {
  if (now >= state.expiresAt) return "absolute";
  if (policy.idleTimeout !== null && now - state.lastSeenAt >= policy.idleTimeout) return "idle";
  return null;
}

function initialExpiry(now: number, policy: SessionPolicy): number {
  return policy.slide ? Math.min(now + policy.sessionTtl, now + policy.maxLifetime) : now + policy.sessionTtl;
}

function onValidateActive(
  state: Extract<SessionState, { status: "active" }>,
  now: number,
  policy: SessionPolicy,
): TransitionResult {
  const effects: SessionEffect[] = [];
  let { expiresAt, lastSeenAt } = state;
  // Renew only in the second half of the lifetime, so validation writes at most rarely.
  if (policy.slide && expiresAt - now < policy.sessionTtl / 2) {
    const renewed = Math.min(now + policy.sessionTtl, state.createdAt + policy.maxLifetime);
    if (renewed > expiresAt) {
      expiresAt = renewed;
      effects.push({ type: "renew", expiresAt });
    }
  }
  if (now - lastSeenAt >= policy.touchInterval) {
    lastSeenAt = now;
    effects.push({ type: "touch", lastSeenAt });
  }
  return ok({ ...state, expiresAt, lastSeenAt }, effects);
}
