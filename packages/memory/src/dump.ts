import type { ApiKeyRecord, SessionRecord, UserRecord } from "@tessera/core";
import { copyApiKey, copySession, copyUser } from "./records.js";
import type { MemoryState } from "./state.js";

/**
 * A deep, JSON-serialisable copy of everything a memory store holds, indexes included.
 *
 * Maps are written as arrays of entries rather than objects, so ids such as `__proto__` survive
 * `JSON.stringify` and back unchanged. Entries are sorted, so two dumps of the same contents are
 * equal. Expired records that nobody has read yet are still present: a dump purges nothing.
 */
export interface MemoryStoreDump {
  readonly users: UserRecord[];
  readonly userIdsByName: { nameKey: string; userId: string }[];
  readonly totpSteps: { userId: string; step: number }[];
  readonly sessions: SessionRecord[];
  readonly sessionIdsByUser: { userId: string; sessionIds: string[] }[];
  readonly recoveryCodes: { userId: string; digests: string[] }[];
  readonly apiKeys: ApiKeyRecord[];
  readonly apiKeyIdsByUser: { userId: string; apiKeyIds: string[] }[];
  readonly rateLimits: { key: string; count: number; resetAt: number }[];
}

// Code-unit order, independent of locale, so a dump is the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedKeys<V>(map: Map<string, V>): string[] {
  return [...map.keys()].sort(compare);
}

export function dumpState(state: MemoryState): MemoryStoreDump {
  return {
    users: sortedKeys(state.users).map((id) => copyUser(state.users.get(id)!)),
    userIdsByName: sortedKeys(state.userIdsByName).map((nameKey) => ({
      nameKey,
      userId: state.userIdsByName.get(nameKey)!,
    })),
    totpSteps: sortedKeys(state.totpSteps).map((userId) => ({ userId, step: state.totpSteps.get(userId)! })),
    sessions: sortedKeys(state.sessions).map((id) => copySession(state.sessions.get(id)!)),
    sessionIdsByUser: sortedKeys(state.sessionIdsByUser).map((userId) => ({
      userId,
      sessionIds: [...state.sessionIdsByUser.get(userId)!].sort(compare),
    })),
    recoveryCodes: sortedKeys(state.recoveryCodes).map((userId) => ({
      userId,
      digests: [...state.recoveryCodes.get(userId)!].sort(compare),
    })),
    apiKeys: sortedKeys(state.apiKeys).map((id) => copyApiKey(state.apiKeys.get(id)!)),
    apiKeyIdsByUser: sortedKeys(state.apiKeyIdsByUser).map((userId) => ({
      userId,
      apiKeyIds: [...state.apiKeyIdsByUser.get(userId)!].sort(compare),
    })),
    rateLimits: sortedKeys(state.rateLimits).map((key) => {
      const window = state.rateLimits.get(key)!;
      return { key, count: window.count, resetAt: window.resetAt };
    }),
  };
}
