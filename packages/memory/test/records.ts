import type { ApiKeyRecord, SessionRecord, UserRecord } from "@tessera/core";
import { expect } from "vitest";
import { createMemoryStore } from "../src/index.js";
import type { MemoryStore } from "../src/index.js";

// Builders for the records under test. Every test passes its own ids, so none shares data.

export const DAY = 24 * 60 * 60 * 1000;

/** The time the fixtures below are created at. */
export const T0 = 1_000;

/**
 * A store whose clock stands still at T0. The fixtures use small epoch times; under the default
 * `Date.now` clock they would all count as long expired and be purged on first read.
 */
export function createTestStore(): MemoryStore {
  return createMemoryStore({ now: () => T0 });
}

export function user(id: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    name: `Name ${id}`,
    nameKey: `name ${id}`.toLowerCase(),
    passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
    totp: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function session(id: string, userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId,
    secretHash: "a".repeat(64),
    state: "active",
    version: 0,
    createdAt: T0,
    expiresAt: T0 + 30 * DAY,
    lastSeenAt: T0,
    failedAttempts: 0,
    ip: "192.0.2.1",
    userAgent: "vitest",
    ...overrides,
  };
}

export function apiKey(id: string, userId: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    userId,
    secretHash: "b".repeat(64),
    description: "ci",
    createdAt: T0,
    expiresAt: T0 + 3650 * DAY,
    lastUsedAt: null,
    ...overrides,
  };
}

/** A clock the test moves by hand. */
export function manualClock(start: number): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (next) => (t = next) };
}

/**
 * Asserts that the per-user indexes describe exactly the stored records: every record is indexed
 * under its own user, every indexed id exists and belongs to that user, and no user is left with
 * an empty entry.
 */
export function expectIndexesExact(store: MemoryStore): void {
  const dump = store.dump();
  const check = (
    records: readonly { id: string; userId: string }[],
    index: readonly { userId: string; ids: string[] }[],
  ): void => {
    const expected = new Map<string, string[]>();
    for (const record of records) expected.set(record.userId, [...(expected.get(record.userId) ?? []), record.id]);
    const actual = new Map(index.map((entry) => [entry.userId, [...entry.ids].sort()]));
    for (const ids of actual.values()) expect(ids.length).toBeGreaterThan(0);
    expect(actual).toEqual(new Map([...expected].map(([userId, ids]) => [userId, ids.sort()])));
  };
  check(
    dump.sessions,
    dump.sessionIdsByUser.map((entry) => ({ userId: entry.userId, ids: entry.sessionIds })),
  );
  check(
    dump.apiKeys,
    dump.apiKeyIdsByUser.map((entry) => ({ userId: entry.userId, ids: entry.apiKeyIds })),
  );
}
