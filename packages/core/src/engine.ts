import { randomBytes } from "node:crypto";
import type { Clock } from "./clock.js";
import type { ResolvedConfig } from "./config.js";
import { isAuthError } from "./errors.js";
import type { AuthEvent } from "./events.js";
import { deriveKey } from "./keys.js";
import type { PasswordHasher } from "./password/hasher.js";
import { createArgon2Hasher } from "./password/hasher.js";
import { createHashLimiter } from "./password/limiter.js";
import { exceedsLength } from "./password/policy.js";
import { rateLimitKeys, retryAfterSeconds } from "./ratelimit/keys.js";
import type { EndReason, ExpiryReason, SessionPolicy } from "./session/transition.js";
import { guardStore } from "./store/guard.js";
import type { SessionRecord, Store, UserRecord } from "./store/types.js";
import { SESSION_TOKEN_PREFIX, issueToken, parseToken, secretMatches } from "./tokens/token.js";

/** Where a session was opened from, as shown in session listings. */
export interface SessionOrigin {
  readonly ip?: string | null;
  readonly userAgent?: string | null;
}

/** The outcome of re-checking a signed-in user's password (password change, MFA changes). */
export type PasswordCheck = { readonly ok: true } | { readonly ok: false; readonly code: "invalid_credentials" } | { readonly ok: false; readonly code: "rate_limited"; readonly retryAfterSeconds: number };

/**
 * The engine's shared internals: the guarded store, the clock, hashing, keys and the session
 * plumbing every feature uses. Not exported from the package.
 */
export interface Engine {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: SessionPolicy;
  readonly keys: { readonly totp: Buffer; readonly recoveryCodes: Buffer };
  emit(event: AuthEvent): void;
  hashPassword(password: string): Promise<string>;
  verifyPassword(hash: string, password: string): Promise<boolean>;
  /** The hash unknown names are verified against, so they cost what a real account costs. */
  dummyHash(): Promise<string>;
  /**
   * Re-hashes a verified password whose hash is weaker than the policy. Best effort. Returns the
   * hash stored afterwards (the new one, or the one it started from).
   */
  upgradeHash(user: UserRecord, password: string, now: number): Promise<string>;
  /**
   * Whether what a login checked still holds after its session was written: the user exists, the
   * password still matches (a concurrent change wins), and MFA is as it was. A login that raced a
   * password change or an MFA change must not leave a session behind that the change missed.
   */
  credentialsStillHold(user: UserRecord, checkedHash: string, password: string, mfaRequired: boolean): Promise<boolean>;
  /** Re-checks a signed-in user's password under the account's login limit. */
  checkCurrentPassword(user: UserRecord, password: unknown, now: number): Promise<PasswordCheck>;
  /** The stored session a token names, if the token is well-formed and its secret matches. */
  resolveToken(token: unknown): Promise<SessionRecord | null>;
  createSession(
    userId: string,
    state: "locked" | "active",
    expiresAt: number,
    now: number,
    origin: SessionOrigin,
  ): Promise<{ token: string; record: SessionRecord }>;
  /** Deletes a session on purpose; `true` only for the caller that removed it. */
  endSession(record: SessionRecord, reason: EndReason): Promise<boolean>;
  expireSession(record: SessionRecord, reason: ExpiryReason): Promise<void>;
}

export function createEngine(config: ResolvedConfig): Engine {
  const store = guardStore(config.store);
  const clock = config.clock;
  const hasher: PasswordHasher =
    config.password.hasher ??
    createArgon2Hasher({ memoryCost: config.password.memoryCost, timeCost: config.password.timeCost, parallelism: config.password.parallelism });
  const limiter = createHashLimiter({ maxConcurrent: config.password.maxConcurrent, maxQueued: config.password.maxQueued });

  const emit = (event: AuthEvent): void => {
    if (!config.onEvent) return;
    // A broken listener must not turn a login into an error, nor (async, rejecting) crash the
    // process with an unhandled rejection: anyone can trigger events on demand.
    try {
      const returned: unknown = config.onEvent(event);
      if (isPromiseLike(returned)) returned.then(undefined, () => undefined);
    } catch {
      // ignored, as documented
    }
  };
  const hashPassword = (password: string): Promise<string> => limiter.run(() => hasher.hash(password));
  const verifyPassword = (hash: string, password: string): Promise<boolean> => limiter.run(() => hasher.verify(hash, password));

  // Made now, off the request path, so no login pays for it.
  let dummy: Promise<string> | null = null;
  const dummyHash = (): Promise<string> => {
    dummy ??= hasher.hash(randomBytes(32).toString("base64url")).catch((error: unknown) => {
      dummy = null;
      throw error;
    });
    return dummy;
  };
  dummyHash().catch(() => undefined);

  return {
    config,
    store,
    clock,
    policy: config,
    keys: { totp: deriveKey(config.secret, "totp-encryption"), recoveryCodes: deriveKey(config.secret, "recovery-codes") },
    emit,
    hashPassword,
    verifyPassword,
    dummyHash,

    async upgradeHash(user, password, now) {
      if (!hasher.needsRehash(user.passwordHash)) return user.passwordHash;
      let passwordHash: string;
      try {
        passwordHash = await hashPassword(password);
      } catch (error) {
        if (isAuthError(error) && error.code === "busy") return user.passwordHash; // the next login will try again
        throw error;
      }
      // Compare-and-set: never write the old password back over one changed meanwhile.
      if (!(await store.users.update(user.id, { passwordHash, updatedAt: now }, { passwordHash: user.passwordHash }))) return user.passwordHash;
      emit({ type: "password.rehashed", at: now, userId: user.id });
      return passwordHash;
    },

    async credentialsStillHold(user, checkedHash, password, mfaRequired) {
      const current = await store.users.getById(user.id);
      if (current === null || (current.totp !== null && current.totp.confirmedAt !== null) !== mfaRequired) return false;
      // The common case costs one read; only a hash changed meanwhile (a password change, or a
      // concurrent re-hash) costs a second verification.
      return current.passwordHash === checkedHash || (await verifyPassword(current.passwordHash, password));
    },

    async checkCurrentPassword(user, password, now) {
      if (typeof password !== "string" || exceedsLength(password, config.password.maxLength)) {
        return { ok: false, code: "invalid_credentials" };
      }
      // A stolen session must not become a password oracle: the login limit applies here too.
      const rule = config.rateLimits.loginPerAccount;
      const key = rateLimitKeys.loginAccount(user.nameKey);
      const window = await store.rateLimits.hit(key, rule.windowMs, now);
      if (window.count > rule.max) return { ok: false, code: "rate_limited", retryAfterSeconds: retryAfterSeconds(window.resetAt, now) };
      if (!(await verifyPassword(user.passwordHash, password))) return { ok: false, code: "invalid_credentials" };
      await store.rateLimits.reset(key);
      return { ok: true };
    },

    async resolveToken(token) {
      if (typeof token !== "string") return null;
      const parsed = parseToken(token, SESSION_TOKEN_PREFIX);
      if (parsed === null) return null;
      const record = await store.sessions.get(parsed.id);
      if (record === null || !secretMatches(parsed.secret, record.secretHash)) return null;
      return record;
    },

    async createSession(userId, state, expiresAt, now, origin) {
      const { token, id, secretHash } = issueToken(SESSION_TOKEN_PREFIX);
      const record: SessionRecord = {
        id,
        userId,
        secretHash,
        state,
        version: 0,
        createdAt: now,
        expiresAt,
        lastSeenAt: now,
        failedAttempts: 0,
        ip: origin.ip ? origin.ip : null,
        userAgent: origin.userAgent ? origin.userAgent : null,
      };
      await store.sessions.create(record);
      return { token, record };
    },

    async endSession(record, reason) {
      const deleted = await store.sessions.delete(record.id);
      if (deleted) emit({ type: "session.revoked", at: clock.now(), userId: record.userId, sessionId: record.id, reason, count: 1 });
      return deleted;
    },

    async expireSession(record, reason) {
      if (await store.sessions.delete(record.id)) {
        emit({ type: "session.expired", at: clock.now(), userId: record.userId, sessionId: record.id, reason });
      }
    },
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

