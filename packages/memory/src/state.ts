import type { ApiKeyRecord, RateLimitWindow, SessionRecord, UserRecord } from "@tessera/core";

/**
 * Everything one memory store holds. Records in these maps are private copies: they are replaced,
 * never handed out, so a caller can only ever see a copy.
 */
export interface MemoryState {
  readonly users: Map<string, UserRecord>;
  /** nameKey -> user id. */
  readonly userIdsByName: Map<string, string>;
  /** Last accepted TOTP time step per user id. */
  readonly totpSteps: Map<string, number>;
  readonly sessions: Map<string, SessionRecord>;
  /** user id -> ids of that user's sessions. A user with no session has no entry. */
  readonly sessionIdsByUser: Map<string, Set<string>>;
  /** user id -> digests of the unused recovery codes. A user with no code has no entry. */
  readonly recoveryCodes: Map<string, Set<string>>;
  readonly apiKeys: Map<string, ApiKeyRecord>;
  /** user id -> ids of that user's API keys. A user with no key has no entry. */
  readonly apiKeyIdsByUser: Map<string, Set<string>>;
  readonly rateLimits: Map<string, RateLimitWindow>;
  /** Size the rate-limit map must reach before the next sweep of ended windows. */
  nextRateLimitSweep: number;
}

/** Keys that are never hit again (one per client IP) would otherwise stay forever. */
export const RATE_LIMIT_SWEEP_MIN = 1024;

export function createState(): MemoryState {
  return {
    users: new Map(),
    userIdsByName: new Map(),
    totpSteps: new Map(),
    sessions: new Map(),
    sessionIdsByUser: new Map(),
    recoveryCodes: new Map(),
    apiKeys: new Map(),
    apiKeyIdsByUser: new Map(),
    rateLimits: new Map(),
    nextRateLimitSweep: RATE_LIMIT_SWEEP_MIN,
  };
}

export function clearState(state: MemoryState): void {
  state.users.clear();
  state.userIdsByName.clear();
  state.totpSteps.clear();
  state.sessions.clear();
  state.sessionIdsByUser.clear();
  state.recoveryCodes.clear();
  state.apiKeys.clear();
  state.apiKeyIdsByUser.clear();
  state.rateLimits.clear();
  state.nextRateLimitSweep = RATE_LIMIT_SWEEP_MIN;
}

export function addToIndex(index: Map<string, Set<string>>, owner: string, id: string): void {
  const ids = index.get(owner);
  if (ids) ids.add(id);
  else index.set(owner, new Set([id]));
}

/** Drops the owner's entry once its set is empty, so the index never accumulates dead users. */
export function removeFromIndex(index: Map<string, Set<string>>, owner: string, id: string): void {
  const ids = index.get(owner);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(owner);
}
