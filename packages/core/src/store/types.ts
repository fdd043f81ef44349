/**
 * The Store contract (DESIGN §4): what a storage adapter implements.
 *
 * An adapter is a handful of domain operations, not a generic database. Core owns every policy
 * decision (expiry, renewal, limits, hashing); an adapter stores what it is told and provides the
 * atomicity documented on each method. `@tessera/conformance` checks all of it.
 *
 * Conventions every adapter follows:
 * - Times are integers: milliseconds since the Unix epoch (`number`).
 * - Ids and keys are opaque strings, stored literally. They may contain quotes, `*`, `?`, `{`, `}`,
 *   `%`, `_`, spaces and any unicode; an adapter must never interpret them as patterns.
 * - Records go in and come out as plain data. A record returned by a read must not alias the
 *   adapter's internal state (mutating it must not change what the store holds).
 * - A missing record is `null` / `false` / `0`, never an exception. Exceptions mean the store is
 *   broken or unreachable; core then fails closed with `503 store_unavailable`.
 * - Expiry is decided by core. An adapter may forget expired records early (a native TTL) but
 *   must never report an expired record as something other than what was stored.
 */

/** A user account as stored. `nameKey` is the normalised, case-folded name used for uniqueness. */
export interface UserRecord {
  /** Opaque, immutable id chosen by core. */
  readonly id: string;
  /** Display name: NFKC-normalised and trimmed, case preserved. */
  readonly name: string;
  /** Lookup key: `name` case-folded. Unique across the store. */
  readonly nameKey: string;
  /** PHC string (argon2id by default). */
  readonly passwordHash: string;
  /**
   * TOTP enrolment, or `null` when the user has none. `secret` is ciphertext produced by core
   * (AES-256-GCM); the adapter never sees the clear secret. `confirmedAt` is `null` while the
   * enrolment is pending.
   */
  readonly totp: TotpEnrolment | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TotpEnrolment {
  readonly secret: string;
  readonly confirmedAt: number | null;
}

/** Fields of a user that `users.update` may change. `id`, `nameKey` and `createdAt` never change. */
export type UserPatch = Partial<Pick<UserRecord, "name" | "passwordHash" | "totp" | "updatedAt">>;

/**
 * The compare-and-set condition of `users.update`. Core uses it so that a password re-hash or
 * change can never overwrite a concurrent password change with a stale hash.
 */
export interface UserExpectation {
  readonly passwordHash?: string;
}

/**
 * A session as stored. `id` is the public half of the token; only the SHA-256 digest of the
 * secret half is stored (`secretHash`, lowercase hex). The raw token never reaches the store.
 */
export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly secretHash: string;
  /** `locked`: password ok, waiting for the second factor. `active`: fully authenticated. */
  readonly state: SessionRecordState;
  /** Incremented by the adapter on every successful `update` (and by `recordFailedAttempt`). */
  readonly version: number;
  readonly createdAt: number;
  /** Absolute expiry, decided by core. */
  readonly expiresAt: number;
  /** Last validation, written by core at most once a minute. */
  readonly lastSeenAt: number;
  /** Wrong second-factor codes against this (locked) session. */
  readonly failedAttempts: number;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export type SessionRecordState = "locked" | "active";

/** Fields of a session that `sessions.update` may change. */
export type SessionPatch = Partial<Pick<SessionRecord, "state" | "expiresAt" | "lastSeenAt">>;

/** The compare-and-set condition of `sessions.update`: every given field must match. */
export interface SessionExpectation {
  readonly version?: number;
  readonly state?: SessionRecordState;
}

/** A long-lived API token as stored. Like sessions, only the digest of the secret is kept. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly userId: string;
  readonly secretHash: string;
  readonly description: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastUsedAt: number | null;
}

/** The state of one fixed rate-limit window. */
export interface RateLimitWindow {
  /** Hits counted in the current window, including the one just made. */
  readonly count: number;
  /** When the current window ends (epoch ms). */
  readonly resetAt: number;
}

/** Users. Required. */
export interface UserStore {
  /**
   * Inserts a user. Returns `false`, and stores nothing, when another user already has the same
   * `nameKey` (or the same `id`). Must be atomic: of many concurrent creates with one `nameKey`,
   * exactly one returns `true`.
   */
  create(user: UserRecord): Promise<boolean>;
  getById(id: string): Promise<UserRecord | null>;
  /** Looks a user up by `nameKey` (core passes the already case-folded key). */
  getByName(nameKey: string): Promise<UserRecord | null>;
  /**
   * Applies `patch` to an existing user whose fields match `expected` (when given) and returns
   * `true`. Returns `false`, changing and creating nothing, when the user is missing or a field of
   * `expected` differs. Atomic: of concurrent updates expecting the same `passwordHash`, exactly
   * one succeeds.
   */
  update(id: string, patch: UserPatch, expected?: UserExpectation): Promise<boolean>;
  /**
   * Records that the TOTP time step `step` was used. Atomic compare-and-advance: returns `true`
   * and stores `step` only if `step` is greater than the last stored step (a user with no stored
   * step accepts any step ≥ 0). Of 20 concurrent calls with one step, exactly one returns `true`.
   * Returns `false` for an unknown user.
   */
  advanceTotpStep(userId: string, step: number): Promise<boolean>;
}

/** Sessions. Required. */
export interface SessionStore {
  /** Inserts a session. Ids are unique (core generates 128 random bits). */
  create(session: SessionRecord): Promise<void>;
  /** The stored session, or `null`. Does not filter by expiry: core decides that. */
  get(id: string): Promise<SessionRecord | null>;
  /**
   * Compare-and-set update. If the session exists and every field of `expected` matches, applies
   * `patch`, increments `version` by one and returns the updated record; otherwise changes nothing
   * and returns `null`. Must never create a record: an update racing a `delete` either lands
   * before the delete (and is deleted with it) or finds nothing. Of many concurrent updates with
   * the same expected `version`, exactly one succeeds.
   */
  update(id: string, patch: SessionPatch, expected?: SessionExpectation): Promise<SessionRecord | null>;
  /** Deletes a session. Returns `true` only for the call that actually removed it. */
  delete(id: string): Promise<boolean>;
  /** Every stored session of a user (any state, expired ones may be included), any order. */
  listByUser(userId: string): Promise<SessionRecord[]>;
  /**
   * Deletes every session of `userId` except `exceptId` and returns how many were removed.
   * Exact: never touches another user's sessions, and the per-user index stays correct.
   */
  deleteByUser(userId: string, exceptId?: string): Promise<number>;
  /** Deletes every session with `expiresAt <= now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
  /**
   * Atomically increments `failedAttempts` (and `version`) and returns the new count, or `null`
   * when the session does not exist. N concurrent calls on one session yield N distinct counts.
   */
  recordFailedAttempt(id: string): Promise<number | null>;
}

/** Recovery codes, stored as digests (HMAC-SHA-256, computed by core). Required for MFA. */
export interface RecoveryCodeStore {
  /** Replaces all of a user's codes with `digests` (an empty list removes them all). */
  replace(userId: string, digests: readonly string[]): Promise<void>;
  /**
   * Removes `digest` from the user's codes. Returns `true` only for the call that removed it: of 50
   * concurrent consumes of one code, exactly one returns `true`.
   */
  consume(userId: string, digest: string): Promise<boolean>;
  /** How many unused codes the user has. */
  count(userId: string): Promise<number>;
}

/** API keys. Required for API tokens. */
export interface ApiKeyStore {
  create(key: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | null>;
  /** Returns `true` only for the call that actually removed it. */
  delete(id: string): Promise<boolean>;
  listByUser(userId: string): Promise<ApiKeyRecord[]>;
  /** Sets `lastUsedAt`; does nothing (and creates nothing) when the key is missing. */
  touch(id: string, lastUsedAt: number): Promise<void>;
}

/** Fixed-window counters (login and MFA limits). Shared by every instance using the store. */
export interface RateLimitStore {
  /**
   * Counts one hit on `key`. If the key has no window, or its window ended (`resetAt <= now`), a
   * new window starts with count 1 and `resetAt = now + windowMs`. Atomic: 300 concurrent hits on
   * a fresh key return the counts 1‥300, each once, and leave the count at exactly 300.
   */
  hit(key: string, windowMs: number, now: number): Promise<RateLimitWindow>;
  /**
   * Reads a key's window without counting: `null` when there is none or it ended at or before
   * `now`. (Tessera extension to DESIGN §4: lets the per-IP limit count only failures.)
   */
  peek(key: string, now: number): Promise<RateLimitWindow | null>;
  /** Forgets a key's window. */
  reset(key: string): Promise<void>;
}

/** The status a store reports for `/ping`. */
export interface StoreHealth {
  readonly ok: boolean;
  /** A short, secret-free reason when not ok. */
  readonly reason?: string;
}

/** A complete storage adapter (DESIGN §4). */
export interface Store {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly recoveryCodes: RecoveryCodeStore;
  readonly apiKeys: ApiKeyStore;
  readonly rateLimits: RateLimitStore;
  /** Cheap liveness check. Throws or returns `{ ok: false }` when the store cannot serve. */
  health(): Promise<StoreHealth>;
  /** Releases connections or timers. Optional. */
  close?(): Promise<void>;
}
