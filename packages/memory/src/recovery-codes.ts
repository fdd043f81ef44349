import type { RecoveryCodeStore } from "@tessera/core";
import type { MemoryState } from "./state.js";

export function createRecoveryCodeStore(state: MemoryState): RecoveryCodeStore {
  return {
    async replace(userId: string, digests: readonly string[]): Promise<void> {
      if (digests.length === 0) state.recoveryCodes.delete(userId);
      else state.recoveryCodes.set(userId, new Set(digests));
    },

    async consume(userId: string, digest: string): Promise<boolean> {
      // Check and delete happen in one synchronous step, so of concurrent redemptions of one code
      // only the first sees it.
      const digests = state.recoveryCodes.get(userId);
      if (!digests?.delete(digest)) return false;
      if (digests.size === 0) state.recoveryCodes.delete(userId);
      return true;
    },

    async count(userId: string): Promise<number> {
      return state.recoveryCodes.get(userId)?.size ?? 0;
    },
  };
}
