// Core's tests run on the real memory store. It is imported from source by path rather than as
// a package: @tessera/memory depends on @tessera/core, so a dependency back would be a cycle.
import { createMemoryStore } from "../../../memory/src/index.js";
import type { MemoryStore, MemoryStoreOptions } from "../../../memory/src/index.js";

export type { MemoryStore };

export function createTestStore(options: MemoryStoreOptions = {}): MemoryStore {
  return createMemoryStore(options);
}
