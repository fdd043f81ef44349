import type { PasswordHasher, Store } from "../../src/index.js";

/** Store methods that change data. Everything else is a read. */
const WRITES = new Set([
  "users.create",
  "users.update",
  "users.advanceTotpStep",
  "sessions.create",
  "sessions.update",
  "sessions.delete",
  "sessions.deleteByUser",
  "sessions.deleteExpired",
  "sessions.recordFailedAttempt",
  "recoveryCodes.replace",
  "recoveryCodes.consume",
  "apiKeys.create",
  "apiKeys.delete",
  "apiKeys.touch",
  "rateLimits.hit",
  "rateLimits.reset",
]);

export interface CountingStore {
  readonly store: Store;
  /** Every call made, as `part.method`, in order. */
  readonly calls: string[];
  writes(): string[];
  reset(): void;
}

/** Wraps a store and records every call, so a test can prove what core wrote. */
export function countingStore(inner: Store): CountingStore {
  const calls: string[] = [];
  const wrap = <T extends object>(part: T, name: string): T =>
    new Proxy(part, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.push(`${name}.${String(property)}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const store: Store = {
    users: wrap(inner.users, "users"),
    sessions: wrap(inner.sessions, "sessions"),
    recoveryCodes: wrap(inner.recoveryCodes, "recoveryCodes"),
    apiKeys: wrap(inner.apiKeys, "apiKeys"),
    rateLimits: wrap(inner.rateLimits, "rateLimits"),
    health: () => inner.health(),
  };
  return {
    store,
    calls,
    writes: () => calls.filter((call) => WRITES.has(call)),
    reset: () => {
      calls.length = 0;
    },
  };
}

export interface CountingHasher extends PasswordHasher {
  readonly counts: { hash: number; verify: number };
  /** argon2 runs (hashes plus verifications) since the last reset. */
  runs(): number;
  reset(): void;
}

export function countingHasher(inner: PasswordHasher): CountingHasher {
  const counts = { hash: 0, verify: 0 };
  return {
    counts,
    runs: () => counts.hash + counts.verify,
    reset() {
      counts.hash = 0;
      counts.verify = 0;
    },
    hash(password) {
      counts.hash += 1;
      return inner.hash(password);
    },
    verify(hash, password) {
      counts.verify += 1;
      return inner.verify(hash, password);
    },
    needsRehash: (hash) => inner.needsRehash(hash),
  };
}
