import type { UserExpectation, UserPatch, UserRecord, UserStore } from "@tessera/core";
import { copyUser } from "./records.js";
import type { MemoryState } from "./state.js";

// Every method does its read-check-write without an `await` in between: on one thread that
// makes each call atomic with respect to every other caller.

export function createUserStore(state: MemoryState): UserStore {
  return {
    async create(user: UserRecord): Promise<boolean> {
      if (state.users.has(user.id) || state.userIdsByName.has(user.nameKey)) return false;
      state.users.set(user.id, copyUser(user));
      state.userIdsByName.set(user.nameKey, user.id);
      return true;
    },

    async getById(id: string): Promise<UserRecord | null> {
      const user = state.users.get(id);
      return user ? copyUser(user) : null;
    },

    async getByName(nameKey: string): Promise<UserRecord | null> {
      const id = state.userIdsByName.get(nameKey);
      const user = id === undefined ? undefined : state.users.get(id);
      return user ? copyUser(user) : null;
    },

    async update(id: string, patch: UserPatch, expected?: UserExpectation): Promise<boolean> {
      const user = state.users.get(id);
      if (!user) return false;
      // Checked in the same synchronous step as the write, so a stale re-hash can never
      // overwrite a password change that landed first.
      if (expected?.passwordHash !== undefined && expected.passwordHash !== user.passwordHash) return false;
      // Only the patchable fields are read, so `id`, `nameKey` and `createdAt` cannot drift even
      // if a caller smuggles them in; `undefined` means "leave as is".
      state.users.set(
        id,
        copyUser({
          ...user,
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.passwordHash !== undefined ? { passwordHash: patch.passwordHash } : {}),
          ...(patch.totp !== undefined ? { totp: patch.totp } : {}),
          ...(patch.updatedAt !== undefined ? { updatedAt: patch.updatedAt } : {}),
        }),
      );
      return true;
    },

    async advanceTotpStep(userId: string, step: number): Promise<boolean> {
      if (!state.users.has(userId)) return false;
      const last = state.totpSteps.get(userId);
      // Written as "is greater" rather than "is not greater" so NaN is refused too.
      const accepted = last === undefined ? step >= 0 : step > last;
      if (!accepted) return false;
      state.totpSteps.set(userId, step);
      return true;
    },
  };
}
