import { randomBytes } from "node:crypto";
import type { Engine } from "../engine.js";
import { rateLimitKeys, retryAfterSeconds } from "../ratelimit/keys.js";
import { digestRecoveryCode, generateRecoveryCodes, normaliseRecoveryCode } from "../recovery/codes.js";
import type { PublicUser, SessionInfo } from "../session/views.js";
import { mfaEnabled, publicUser, sessionInfo, stateOf } from "../session/views.js";
import { transition } from "../session/transition.js";
import type { SessionRecord, UserRecord } from "../store/types.js";
import { openTotpSecret, sealTotpSecret } from "../totp/secret-box.js";
import { TOTP_SECRET_BYTES, encodeBase32, matchTotp, otpauthUrl } from "../totp/totp.js";

export type MfaFactor = "totp" | "recovery";

/** A second factor presented to unlock a LOCKED session. */
export interface UnlockFactor {
  readonly factor: MfaFactor;
  /** The 6-digit TOTP code, or a recovery code (any case, dashes optional). */
  readonly code: string;
}

export type UnlockResult =
  | {
      readonly ok: true;
      /** The ACTIVE session's token: a new one unless `rotateOnUnlock` is off. */
      readonly token: string;
      readonly isUnlocked: true;
      readonly expiresAt: number;
      readonly factor: MfaFactor;
      readonly user: PublicUser;
      readonly session: SessionInfo;
      /** Present when a recovery code was used. */
      readonly recoveryCodesRemaining?: number;
    }
  /** Unknown, expired, already used, or spent its wrong-code budget. */
  | { readonly ok: false; readonly code: "invalid_token" }
  | { readonly ok: false; readonly code: "already_unlocked" }
  /** Wrong, replayed or malformed code. `attemptsRemaining` is 0 when this one ended the session. */
  | { readonly ok: false; readonly code: "invalid_code"; readonly attemptsRemaining: number }
  | { readonly ok: false; readonly code: "rate_limited"; readonly retryAfterSeconds: number };

export type BeginTotpResult =
  | {
      readonly ok: true;
      /** Base32, for typing into an authenticator. Shown once; stored only encrypted. */
      readonly secret: string;
      /** For a QR code. */
      readonly otpauthUrl: string;
    }
  | { readonly ok: false; readonly code: "mfa_already_enabled" | "user_not_found" };

export type ConfirmTotpResult =
  | { readonly ok: true; readonly recoveryCodes: readonly string[] }
  | { readonly ok: false; readonly code: "invalid_code" }
  | { readonly ok: false; readonly code: "mfa_not_pending" | "mfa_already_enabled" | "user_not_found" }
  | { readonly ok: false; readonly code: "rate_limited"; readonly retryAfterSeconds: number };

export type DisableMfaResult =
  | { readonly ok: true; readonly revoked: number }
  | { readonly ok: false; readonly code: "invalid_credentials" }
  | { readonly ok: false; readonly code: "rate_limited"; readonly retryAfterSeconds: number };

export type RegenerateRecoveryCodesResult =
  | { readonly ok: true; readonly recoveryCodes: readonly string[] }
  | { readonly ok: false; readonly code: "invalid_credentials" | "mfa_not_enabled" }
  | { readonly ok: false; readonly code: "rate_limited"; readonly retryAfterSeconds: number };

export interface MfaStatus {
  readonly enabled: boolean;
  /** Enrolment begun but not confirmed. */
  readonly pending: boolean;
  readonly recoveryCodesRemaining: number;
}

/** TOTP enrolment and recovery codes (`auth.mfa`). */
export interface MfaApi {
  /** Starts (or restarts) TOTP enrolment. Pending until `confirmTotp` succeeds. */
  beginTotp(userId: string): Promise<BeginTotpResult>;
  /** Confirms enrolment with a code from the app; returns 10 recovery codes, shown once. */
  confirmTotp(userId: string, code: string): Promise<ConfirmTotpResult>;
  /** Needs the password. Removes TOTP and recovery codes; revokes every other session. */
  disable(userId: string, password: string, options?: { readonly keepSessionId?: string }): Promise<DisableMfaResult>;
  /** Needs the password. Replaces every recovery code. */
  regenerateRecoveryCodes(userId: string, password: string): Promise<RegenerateRecoveryCodesResult>;
  status(userId: string): Promise<MfaStatus>;
}

type MfaCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: "rate_limited"; readonly retryAfterSeconds: number };

export function createMfa(engine: Engine): { unlock: (token: string, factor: UnlockFactor) => Promise<UnlockResult>; mfa: MfaApi } {
  const { store, clock, emit, policy, keys, config } = engine;
  const rule = config.rateLimits.mfaPerAccount;

  /**
   * Every code attempt takes a slot of the account's MFA limit before it is checked, so parallel
   * guesses cannot slip past it; a success gives the slots back.
   */
  async function takeMfaSlot(userId: string, now: number): Promise<MfaCheck> {
    const window = await store.rateLimits.hit(rateLimitKeys.mfaAccount(userId), rule.windowMs, now);
    return window.count > rule.max ? { ok: false, code: "rate_limited", retryAfterSeconds: retryAfterSeconds(window.resetAt, now) } : { ok: true };
  }

  /**
   * Checks a TOTP code and claims its time step for good. "replayed": the code was right but its
   * step was already used (by this request's twin, or by someone who saw the code).
   */
  async function claimTotp(user: UserRecord, sealed: string, code: string, now: number, sessionId: string | null): Promise<"accepted" | "replayed" | "wrong"> {
    const secret = openTotpSecret(keys.totp, user.id, sealed);
    const step = matchTotp(secret, code.replace(/\s/g, ""), now);
    if (step === null) return "wrong";
    // Single use: of every request carrying a code for this step, exactly one claims it.
    if (await store.users.advanceTotpStep(user.id, step)) return "accepted";
    emit({ type: "mfa.code_replayed", at: now, userId: user.id, sessionId });
    return "replayed";
  }

  async function issueRecoveryCodes(userId: string): Promise<string[]> {
    const codes = generateRecoveryCodes();
    const digests = codes.map((code) => digestRecoveryCode(keys.recoveryCodes, userId, normaliseRecoveryCode(code)!));
    await store.recoveryCodes.replace(userId, digests);
    return codes;
  }

  async function unlock(token: string, presented: UnlockFactor): Promise<UnlockResult> {
    const record = await engine.resolveToken(token);
    if (record === null) return { ok: false, code: "invalid_token" };
    const now = clock.now();
    const state = stateOf(record);
    const check = transition(state, { type: "validate" }, now, policy);
    if (!check.ok) return { ok: false, code: "invalid_token" };
    if (check.state.status === "expired") {
      await engine.expireSession(record, check.state.reason);
      return { ok: false, code: "invalid_token" };
    }
    if (record.state === "active") return { ok: false, code: "already_unlocked" };

    const user = await store.users.getById(record.userId);
    // MFA turned off meanwhile (which ends other sessions anyway): nothing to unlock with.
    if (user === null || user.totp === null || !mfaEnabled(user)) return { ok: false, code: "invalid_token" };

    const slot = await takeMfaSlot(user.id, now);
    if (!slot.ok) {
      emit({ type: "mfa.failed", at: now, userId: user.id, sessionId: record.id, factor: presented.factor, reason: "rate_limited", attemptsRemaining: null });
      return slot;
    }

    let outcome: "accepted" | "replayed" | "wrong" = "wrong";
    if (presented.factor === "totp" && typeof presented.code === "string") {
      outcome = await claimTotp(user, user.totp.secret, presented.code, now, record.id);
    } else if (presented.factor === "recovery" && typeof presented.code === "string") {
      const normalised = normaliseRecoveryCode(presented.code);
      const digest = normalised === null ? null : digestRecoveryCode(keys.recoveryCodes, user.id, normalised);
      if (digest !== null && (await store.recoveryCodes.consume(user.id, digest))) outcome = "accepted";
    }

    if (outcome !== "accepted") {
      const replayed = outcome === "replayed";
      // A correct code whose step was already used is a replay, not a guess: it costs the token
      // nothing, so a double-submitted form cannot burn the budget of the request that won.
      const failedAttempts = replayed ? record.failedAttempts : await store.sessions.recordFailedAttempt(record.id);
      if (failedAttempts === null) return { ok: false, code: "invalid_token" };
      const step = transition(state, { type: "unlock_failed", failedAttempts }, now, policy);
      const attemptsRemaining = Math.max(0, policy.maxUnlockAttempts - failedAttempts);
      emit({ type: "mfa.failed", at: now, userId: user.id, sessionId: record.id, factor: presented.factor, reason: replayed ? "replayed" : "invalid_code", attemptsRemaining });
      if (step.ok && step.state.status === "revoked") await engine.endSession(record, "too_many_attempts");
      return { ok: false, code: "invalid_code", attemptsRemaining };
    }

    const step = transition(state, { type: "unlock_succeeded" }, now, policy);
    const effect = step.ok ? step.effects[0] : undefined;
    let activeToken = token;
    let active: SessionRecord | null;
    if (effect?.type === "rotate") {
      // The locked token dies and a new one is issued (fixation defence). Deleting it is the
      // claim: of concurrent unlocks of one token, only the one whose delete removed it goes on.
      if (!(await store.sessions.delete(record.id))) return { ok: false, code: "invalid_token" };
      const created = await engine.createSession(user.id, "active", effect.expiresAt, now, record);
      activeToken = created.token;
      active = created.record;
    } else if (effect?.type === "activate") {
      active = await store.sessions.update(record.id, { state: "active", expiresAt: effect.expiresAt, lastSeenAt: now }, { state: "locked" });
      if (active === null) return { ok: false, code: "invalid_token" };
    } else {
      return { ok: false, code: "invalid_token" };
    }

    // A password change or MFA reset between our claim and the new session's creation deleted
    // every session that existed then, not this one: check again now that it exists.
    const current = await store.users.getById(user.id);
    if (current === null || !mfaEnabled(current) || current.passwordHash !== user.passwordHash) {
      await store.sessions.delete(active.id);
      return { ok: false, code: "invalid_token" };
    }

    await store.rateLimits.reset(rateLimitKeys.mfaAccount(user.id));
    emit({ type: "session.unlocked", at: now, userId: user.id, sessionId: active.id, previousSessionId: record.id, factor: presented.factor });
    let recoveryCodesRemaining: number | undefined;
    if (presented.factor === "recovery") {
      recoveryCodesRemaining = await store.recoveryCodes.count(user.id);
      emit({ type: "recovery_code.used", at: now, userId: user.id, remaining: recoveryCodesRemaining });
    }
    return {
      ok: true,
      token: activeToken,
      isUnlocked: true,
      expiresAt: active.expiresAt,
      factor: presented.factor,
      user: publicUser(user),
      session: sessionInfo(active),
      ...(recoveryCodesRemaining === undefined ? {} : { recoveryCodesRemaining }),
    };
  }

  const mfa: MfaApi = {
    async beginTotp(userId) {
      const user = await store.users.getById(userId);
      if (user === null) return { ok: false, code: "user_not_found" };
      if (mfaEnabled(user)) return { ok: false, code: "mfa_already_enabled" };
      const now = clock.now();
      const secret = randomBytes(TOTP_SECRET_BYTES);
      await store.users.update(userId, { totp: { secret: sealTotpSecret(keys.totp, userId, secret), confirmedAt: null }, updatedAt: now });
      emit({ type: "mfa.enrollment_started", at: now, userId });
      return { ok: true, secret: encodeBase32(secret), otpauthUrl: otpauthUrl({ issuer: config.mfa.issuer, accountName: user.name, secret }) };
    },

    async confirmTotp(userId, code) {
      const user = await store.users.getById(userId);
      if (user === null) return { ok: false, code: "user_not_found" };
      if (mfaEnabled(user)) return { ok: false, code: "mfa_already_enabled" };
      if (user.totp === null) return { ok: false, code: "mfa_not_pending" };
      const now = clock.now();
      const slot = await takeMfaSlot(userId, now);
      if (!slot.ok) return slot;
      if (typeof code !== "string" || (await claimTotp(user, user.totp.secret, code, now, null)) !== "accepted") {
        emit({ type: "mfa.failed", at: now, userId, sessionId: null, factor: "totp", reason: "invalid_code", attemptsRemaining: null });
        return { ok: false, code: "invalid_code" };
      }
      await store.rateLimits.reset(rateLimitKeys.mfaAccount(userId));
      // Confirm the very secret the code was checked against, even if enrolment restarted meanwhile.
      await store.users.update(userId, { totp: { secret: user.totp.secret, confirmedAt: now }, updatedAt: now });
      const recoveryCodes = await issueRecoveryCodes(userId);
      emit({ type: "mfa.enabled", at: now, userId });
      return { ok: true, recoveryCodes };
    },

    async disable(userId, password, options = {}) {
      const user = await store.users.getById(userId);
      if (user === null) return { ok: false, code: "invalid_credentials" };
      const now = clock.now();
      const check = await engine.checkCurrentPassword(user, password, now);
      if (!check.ok) return check;
      await store.users.update(userId, { totp: null, updatedAt: now });
      await store.recoveryCodes.replace(userId, []);
      const revoked = await store.sessions.deleteByUser(userId, options.keepSessionId);
      emit({ type: "mfa.disabled", at: now, userId, revokedSessions: revoked });
      if (revoked > 0) emit({ type: "session.revoked", at: now, userId, sessionId: null, reason: "mfa_disabled", count: revoked });
      return { ok: true, revoked };
    },

    async regenerateRecoveryCodes(userId, password) {
      const user = await store.users.getById(userId);
      if (user === null) return { ok: false, code: "invalid_credentials" };
      const now = clock.now();
      const check = await engine.checkCurrentPassword(user, password, now);
      if (!check.ok) return check;
      if (!mfaEnabled(user)) return { ok: false, code: "mfa_not_enabled" };
      const recoveryCodes = await issueRecoveryCodes(userId);
      emit({ type: "recovery_codes.regenerated", at: now, userId });
      return { ok: true, recoveryCodes };
    },

    async status(userId) {
      const user = await store.users.getById(userId);
      return {
        enabled: user !== null && mfaEnabled(user),
        pending: user?.totp?.confirmedAt === null,
        recoveryCodesRemaining: user === null ? 0 : await store.recoveryCodes.count(userId),
      };
    },
  };

  return { unlock, mfa };
}
