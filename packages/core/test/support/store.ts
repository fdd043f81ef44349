// Core's tests run on the real memory store. It is imported from source by path rather than as
// a package: @tessera/memory depends on @tessera/core, so a dependency back would be a cycle.
import { createMemoryStore } from "../../../memory/src/index.js";
import type { MemoryStore, MemoryStoreOptions } from "../../../memory/src/index.js";
import type { Store } from "../../src/index.js";

export type { MemoryStore };

export function createTestStore(options: MemoryStoreOptions = {}): MemoryStore {
  return createMemoryStore(options);
}

/** A store every method of which rejects, as an unreachable database would. */
export function failingStore(message = "ECONNREFUSED 127.0.0.1:5432"): Store {
  const inner = createMemoryStore();
  const fail = (): Promise<never> => Promise.reject(new Error(message));
  const broken = <T extends object>(part: T): T =>
    new Proxy(part, { get: (target, key) => (typeof Reflect.get(target, key) === "function" ? fail : Reflect.get(target, key)) });
  return {
    users: broken(inner.users),
    sessions: broken(inner.sessions),
    recoveryCodes: broken(inner.recoveryCodes),
    apiKeys: broken(inner.apiKeys),
    rateLimits: broken(inner.rateLimits),
    health: fail,
  };
}
