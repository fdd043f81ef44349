import { randomUUID } from "node:crypto";
import type { AuthConfig } from "./config.js";
import { resolveConfig } from "./config.js";
import type { SessionOrigin } from "./engine.js";
import { createEngine } from "./engine.js";
import { createHttpApi } from "./http/handler.js";
import type { HttpApi } from "./http/types.js";
import type { MfaApi, MfaFactor, UnlockFactor, UnlockResult } from "./mfa/service.js";
import { createMfa } from "./mfa/service.js";
import { normaliseName } from "./names.js";
import { checkPasswordPolicy, exceedsLength } from "./password/policy.js";
import { rateLimitKeys, retryAfterSeconds } from "./ratelimit/keys.js";
import { transition } from "./session/transition.js";
import type { PublicUser, SessionInfo } from "./session/views.js";
import { isLive, mfaEnabled, publicUser, sessionInfo, stateOf } from "./session/views.js";
import type { SessionPatch, StoreHealth, UserRecord } from "./store/types.js";

export type { PublicUser, SessionInfo };

export interface ListedSession extends SessionInfo {
  /** The session the listing was asked for from. */
  readonly current: boolean;
}

/** A problem with an input field, as `400 invalid_request` reports it. */
export interface ValidationIssue {
  readonly path: readonly string[];
  readonly message: string;
}

export interface LoginInput extends SessionOrigin {
  readonly name: string;
  readonly password: string;
}

export type LoginResult =
  | {
      readonly ok: true;
      /** The bearer token. Shown once; only its digest is stored. */
      readonly token: string;
      readonly isUnlocked: boolean;
      readonly expiresAt: number;
      readonly user: PublicUser;
      readonly session: SessionInfo;
      readonly mfa: { readonly required: boolean; readonly factors: readonly MfaFactor[] };
    }
  /** Unknown name and wrong password are indistinguishable, in body and in time. */
  | { readonly ok: false; readonly code: "invalid_credentials" }
  | { readonly ok: false; readonly code: "rate_limited"; readonly retryAfterSeconds: number };

export interface ValidateOptions {
  /** Refuse LOCKED sessions with `token_locked` (every protected route but unlock/check/logout). */
  readonly requireUnlocked?: boolean;
}

export type ValidateResult =
  | { readonly ok: true; readonly user: PublicUser; readonly session: SessionInfo }
  /** Identical for unknown, malformed, expired and revoked tokens. */
  | { readonly ok: false; readonly code: "invalid_token" }
  | { readonly ok: false; readonly code: "token_locked" };

export type LogoutResult = { readonly ok: true } | { readonly ok: false; readonly code: "invalid_token" };

export interface RegisterInput {
  readonly name: string;
  readonly password: string;
}

export type RegisterResult =
  | { readonly ok: true; readonly user: PublicUser }
  | { readonly ok: false; readonly code: "name_taken" }
  | { readonly ok: false; readonly code: "invalid_request"; readonly issues: readonly ValidationIssue[] };

export interface ChangePasswordInput {
  readonly userId: string;
  readonly currentPassword: string;
  readonly newPassword: string;
  /** The session making the change; it survives, every other one is revoked. */
  readonly keepSessionId?: string;
}

export type ChangePasswordResult =
  | { readonly ok: true; readonly revoked: number }
  | { readonly ok: false; readonly code: "invalid_credentials" }
  | { readonly ok: false; readonly code: "rate_limited"; readonly retryAfterSeconds: number }
  | { readonly ok: false; readonly code: "invalid_request"; readonly issues: readonly ValidationIssue[] };

/**
 * The engine. Every method is safe to call concurrently, from any number of instances. `handle`
 * and `authenticate` (from `HttpApi`) serve the HTTP contract for the framework packages.
 */
export interface Auth extends HttpApi {
  register(input: RegisterInput): Promise<RegisterResult>;
  /** The password step. Users with MFA get a LOCKED session (`isUnlocked: false`). */
  login(input: LoginInput): Promise<LoginResult>;
  /**
   * The second step for users with MFA: a TOTP or recovery code turns a LOCKED token into an
   * ACTIVE one (a new token by default; the locked one dies).
   */
  unlock(token: string, factor: UnlockFactor): Promise<UnlockResult>;
  /** Checks a token. Does not write, except a rare sliding renewal and a throttled `lastSeenAt`. */
  validate(token: string, options?: ValidateOptions): Promise<ValidateResult>;
  /** Ends the session a token names (LOCKED or ACTIVE). */
  logout(token: string): Promise<LogoutResult>;
  /** Ends every session of a user, except `keepSessionId` when given. */
  logoutAll(input: { readonly userId: string; readonly keepSessionId?: string }): Promise<{ readonly revoked: number }>;
  /** A user's live sessions, newest first, without token material. */
  listSessions(input: { readonly userId: string; readonly currentSessionId?: string }): Promise<ListedSession[]>;
  /** Ends one of the user's sessions. `false` when there is no such session *of this user*. */
  revokeSession(input: { readonly userId: string; readonly sessionId: string }): Promise<boolean>;
  /** Needs the current password; revokes every other session of the user. */
  changePassword(input: ChangePasswordInput): Promise<ChangePasswordResult>;
  /** Deletes sessions past their absolute expiry; returns how many. Schedule it if you like. */
  deleteExpiredSessions(): Promise<number>;
  /** The store's health, for `/ping`. Never throws. */
  health(): Promise<StoreHealth>;
  /** TOTP enrolment and recovery codes. */
  readonly mfa: MfaApi;
}

const INVALID_TOKEN = { ok: false, code: "invalid_token" } as const;
const INVALID_CREDENTIALS = { ok: false, code: "invalid_credentials" } as const;
const MFA_FACTORS: readonly MfaFactor[] = ["totp", "recovery"];

/**
 * Creates the engine. Validates `config` at once and throws `AuthError("invalid_config")` naming
 * every bad field, so a missing secret fails at startup, not at the first request.
 */
export function createAuth(config: AuthConfig): Auth {
  const c = resolveConfig(config);
  const engine = createEngine(c);
  const { store, clock, policy, emit, hashPassword, verifyPassword } = engine;
  const { unlock, mfa } = createMfa(engine);

  const api: Omit<Auth, keyof HttpApi> = {
    async register(input) {
      const issues: ValidationIssue[] = [];
      const name = typeof input.name === "string" ? normaliseName(input.name) : { problem: "must be a string" };
      if ("problem" in name) issues.push({ path: ["name"], message: `name ${name.problem}` });
      const passwordProblem = checkPasswordPolicy(input.password, c.password);
      if (passwordProblem !== null) issues.push({ path: ["password"], message: passwordProblem });
      if ("problem" in name || issues.length > 0) return { ok: false, code: "invalid_request", issues };

      const passwordHash = await hashPassword(input.password);
      const now = clock.now();
      const user: UserRecord = {
        id: randomUUID(),
        name: name.name,
        nameKey: name.key,
        passwordHash,
        totp: null,
        createdAt: now,
        updatedAt: now,
      };
      if (!(await store.users.create(user))) return { ok: false, code: "name_taken" };
      emit({ type: "user.registered", at: now, userId: user.id });
      return { ok: true, user: publicUser(user) };
    },

    async login(input) {
      const now = clock.now();
      const ip = input.ip ? input.ip : null; // "" is no address
      const fail = (userId: string | null, reason: "invalid_credentials" | "rate_limited"): void =>
        emit({ type: "login.failed", at: now, reason, userId, ip });

      const name = typeof input.name === "string" ? normaliseName(input.name) : null;
      const password = input.password;
      // Input no account could match costs no hashing: it reveals nothing the caller did not send.
      if (name === null || "problem" in name || typeof password !== "string" || exceedsLength(password, c.password.maxLength)) {
        fail(null, "invalid_credentials");
        return INVALID_CREDENTIALS;
      }

      const ipRule = c.rateLimits.loginPerIp;
      const ipKey = ip === null ? null : rateLimitKeys.loginIp(ip);
      if (ipKey !== null) {
        const window = await store.rateLimits.peek(ipKey, now);
        if (window !== null && window.count >= ipRule.max) {
          fail(null, "rate_limited");
          return { ok: false, code: "rate_limited", retryAfterSeconds: retryAfterSeconds(window.resetAt, now) };
        }
      }
      // Every attempt takes a slot before argon2 runs, so parallel guesses cannot slip past the
      // limit; a success gives the slots back.
      const accountRule = c.rateLimits.loginPerAccount;
      const accountKey = rateLimitKeys.loginAccount(name.key);
      const account = await store.rateLimits.hit(accountKey, accountRule.windowMs, now);
      if (account.count > accountRule.max) {
        fail(null, "rate_limited");
        return { ok: false, code: "rate_limited", retryAfterSeconds: retryAfterSeconds(account.resetAt, now) };
      }

      const user = await store.users.getByName(name.key);
      const matches = await verifyPassword(user?.passwordHash ?? (await engine.dummyHash()), password);
      if (user === null || !matches) {
        if (ipKey !== null) await store.rateLimits.hit(ipKey, ipRule.windowMs, now);
        fail(user?.id ?? null, "invalid_credentials");
        return INVALID_CREDENTIALS;
      }

      await store.rateLimits.reset(accountKey);
      const checkedHash = await engine.upgradeHash(user, password, now);

      const mfaRequired = mfaEnabled(user);
      const step = transition({ status: "none" }, { type: "login", mfaRequired }, now, policy);
      const effect = step.ok ? step.effects[0] : undefined;
      if (effect?.type !== "create") throw new Error("unreachable: login must create a session");
      const { token, record } = await engine.createSession(user.id, effect.state, effect.expiresAt, now, input);
      // argon2 took a while: a password change or MFA change that landed meanwhile revoked the
      // sessions that existed then, not this one. Check again now that it exists.
      if (!(await engine.credentialsStillHold(user, checkedHash, password, mfaRequired))) {
        await store.sessions.delete(record.id);
        fail(user.id, "invalid_credentials");
        return INVALID_CREDENTIALS;
      }
      emit({ type: "login.succeeded", at: now, userId: user.id, sessionId: record.id, mfaRequired, ip });
      return {
        ok: true,
        token,
        isUnlocked: record.state === "active",
        expiresAt: record.expiresAt,
        user: publicUser(user),
        session: sessionInfo(record),
        mfa: { required: mfaRequired, factors: mfaRequired ? MFA_FACTORS : [] },
      };
    },

    unlock,
    mfa,

    async validate(token, options = {}) {
      let record = await engine.resolveToken(token);
      if (record === null) return INVALID_TOKEN;
      const now = clock.now();
      const step = transition(stateOf(record), { type: "validate" }, now, policy);
      if (!step.ok) return INVALID_TOKEN;
      if (step.state.status === "expired") {
        await engine.expireSession(record, step.state.reason);
        return INVALID_TOKEN;
      }

      const patch: { -readonly [K in keyof SessionPatch]: SessionPatch[K] } = {};
      for (const effect of step.effects) {
        if (effect.type === "renew") patch.expiresAt = effect.expiresAt;
        else if (effect.type === "touch") patch.lastSeenAt = effect.lastSeenAt;
      }
      if (patch.expiresAt !== undefined || patch.lastSeenAt !== undefined) {
        // Compare-and-set on the version read: a renewal can never revive a session that a
        // logout deleted meanwhile, and a lost race with another renewal is harmless.
        const updated = await store.sessions.update(record.id, patch, { version: record.version });
        if (updated !== null) {
          if (patch.expiresAt !== undefined) {
            emit({ type: "session.renewed", at: now, userId: updated.userId, sessionId: updated.id, expiresAt: updated.expiresAt });
          }
          record = updated;
        } else {
          record = await store.sessions.get(record.id);
          if (record === null) return INVALID_TOKEN;
        }
      }

      const user = await store.users.getById(record.userId);
      if (user === null) return INVALID_TOKEN;
      if (options.requireUnlocked === true && record.state !== "active") return { ok: false, code: "token_locked" };
      return { ok: true, user: publicUser(user), session: sessionInfo(record) };
    },

    async logout(token) {
      const record = await engine.resolveToken(token);
      if (record === null) return INVALID_TOKEN;
      const step = transition(stateOf(record), { type: "revoke", reason: "logout" }, clock.now(), policy);
      if (step.ok && step.state.status === "expired") {
        await engine.expireSession(record, step.state.reason);
        return INVALID_TOKEN;
      }
      return (await engine.endSession(record, "logout")) ? { ok: true } : INVALID_TOKEN;
    },

    async logoutAll({ userId, keepSessionId }) {
      const revoked = await store.sessions.deleteByUser(userId, keepSessionId);
      if (revoked > 0) emit({ type: "session.revoked", at: clock.now(), userId, sessionId: null, reason: "logout_all", count: revoked });
      return { revoked };
    },

    async listSessions({ userId, currentSessionId }) {
      const now = clock.now();
      const records = await store.sessions.listByUser(userId);
      return records
        .filter((record) => record.userId === userId && isLive(record, now, policy))
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1))
        .map((record) => ({ ...sessionInfo(record), current: record.id === currentSessionId }));
    },

    async revokeSession({ userId, sessionId }) {
      const record = await store.sessions.get(sessionId);
      // Another user's session answers exactly like a missing one.
      if (record === null || record.userId !== userId) return false;
      return engine.endSession(record, "revoked");
    },

    async changePassword({ userId, currentPassword, newPassword, keepSessionId }) {
      const problem = checkPasswordPolicy(newPassword, c.password);
      if (problem !== null) return { ok: false, code: "invalid_request", issues: [{ path: ["newPassword"], message: problem }] };
      const now = clock.now();
      const user = await store.users.getById(userId);
      if (user === null) return INVALID_CREDENTIALS;
      const check = await engine.checkCurrentPassword(user, currentPassword, now);
      if (!check.ok) {
        emit({ type: "password.change_failed", at: now, userId, reason: check.code });
        return check;
      }

      const passwordHash = await hashPassword(newPassword);
      // Of two concurrent changes from the same old password, exactly one lands.
      if (!(await store.users.update(userId, { passwordHash, updatedAt: now }, { passwordHash: user.passwordHash }))) {
        return INVALID_CREDENTIALS;
      }
      const revoked = await store.sessions.deleteByUser(userId, keepSessionId);
      emit({ type: "password.changed", at: now, userId, revokedSessions: revoked });
      if (revoked > 0) emit({ type: "session.revoked", at: now, userId, sessionId: null, reason: "password_changed", count: revoked });
      return { ok: true, revoked };
    },

    deleteExpiredSessions() {
      return store.sessions.deleteExpired(clock.now());
    },

    async health() {
      try {
        return await store.health();
      } catch {
        return { ok: false, reason: "store_unavailable" };
      }
    },
  };
  return { ...api, ...createHttpApi(api, c.http, () => clock.now(), c.slide) };
}
