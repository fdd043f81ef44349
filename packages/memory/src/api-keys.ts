import type { ApiKeyRecord, ApiKeyStore } from "@tessera/core";
import { copyApiKey } from "./records.js";
import { addToIndex, removeFromIndex } from "./state.js";
import type { MemoryState } from "./state.js";

export function createApiKeyStore(state: MemoryState, now: () => number): ApiKeyStore {
  function remove(key: ApiKeyRecord): void {
    state.apiKeys.delete(key.id);
    removeFromIndex(state.apiKeyIdsByUser, key.userId, key.id);
  }

  /** The key if still live by the store's clock; an expired one is purged on the spot. */
  function live(id: string): ApiKeyRecord | undefined {
    const key = state.apiKeys.get(id);
    if (!key) return undefined;
    if (key.expiresAt <= now()) {
      remove(key);
      return undefined;
    }
    return key;
  }

  return {
    async create(key: ApiKeyRecord): Promise<void> {
      // Ids are random, so a clash is a bug; overwriting would corrupt the user index.
      if (state.apiKeys.has(key.id)) throw new Error("memory store: api key id already exists");
      state.apiKeys.set(key.id, copyApiKey(key));
      addToIndex(state.apiKeyIdsByUser, key.userId, key.id);
    },

    async get(id: string): Promise<ApiKeyRecord | null> {
      const key = live(id);
      return key ? copyApiKey(key) : null;
    },

    async delete(id: string): Promise<boolean> {
      const key = state.apiKeys.get(id);
      if (!key) return false;
      remove(key);
      return true;
    },

    async listByUser(userId: string): Promise<ApiKeyRecord[]> {
      const ids = state.apiKeyIdsByUser.get(userId);
      if (!ids) return [];
      const result: ApiKeyRecord[] = [];
      // Spread first: `live` may delete from this very set.
      for (const id of [...ids]) {
        const key = live(id);
        if (key) result.push(copyApiKey(key));
      }
      return result;
    },

    async touch(id: string, lastUsedAt: number): Promise<void> {
      const key = live(id);
      if (key) state.apiKeys.set(id, copyApiKey({ ...key, lastUsedAt }));
    },
  };
}
