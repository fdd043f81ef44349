import type { Store, StoreHealth } from "@tessera/core";
import { createApiKeyStore } from "./api-keys.js";
import { dumpState } from "./dump.js";
import type { MemoryStoreDump } from "./dump.js";
import { createRateLimitStore } from "./rate-limits.js";
import { createRecoveryCodeStore } from "./recovery-codes.js";
import { createSessionStore } from "./sessions.js";
import { clearState, createState } from "./state.js";
import { createUserStore } from "./users.js";

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The clock (epoch milliseconds) used only to purge expired sessions and API keys when they are
   * read. Default `Date.now`. If you give `createAuth` its own clock, give this one the same.
   * Rate limits and `sessions.deleteExpired` use the time core passes them instead.
   */
  readonly now?: () => number;
}

/** A Tessera {@link Store} that keeps everything in this process's memory. */
export interface MemoryStore extends Store {
  /**
   * A deep, JSON-serialisable copy of everything held, indexes included. Meant for tests and
   * debugging: for example, to show that no raw token or recovery code is ever stored.
   */
  dump(): MemoryStoreDump;
  /** Forgets everything. The store stays usable, empty. */
  close(): Promise<void>;
}

/**
 * Creates an in-memory store: the embedded default for a single process. Data lives in this
 * process only and is lost when it exits; several processes need `@tessera/postgres` or
 * `@tessera/redis`.
 *
 * @example
 * const auth = createAuth({ secret: process.env.TESSERA_SECRET!, store: createMemoryStore() });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const now = options.now ?? Date.now;
  const state = createState();
  return {
    users: createUserStore(state),
    sessions: createSessionStore(state, now),
    recoveryCodes: createRecoveryCodeStore(state),
    apiKeys: createApiKeyStore(state, now),
    rateLimits: createRateLimitStore(state),
    async health(): Promise<StoreHealth> {
      return { ok: true };
    },
    async close(): Promise<void> {
      clearState(state);
    },
    dump(): MemoryStoreDump {
      return dumpState(state);
    },
  };
}
