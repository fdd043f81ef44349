import type { SessionExpectation, SessionPatch, SessionRecord, SessionStore } from "@tessera/core";
import { copySession } from "./records.js";
import { addToIndex, removeFromIndex } from "./state.js";
import type { MemoryState } from "./state.js";

// Every method does its read-check-write without an `await` in between: on one thread that
// makes each call atomic (CAS, counters, delete-vs-update) with respect to every other caller.

export function createSessionStore(state: MemoryState, now: () => number): SessionStore {
  function remove(session: SessionRecord): void {
    state.sessions.delete(session.id);
    removeFromIndex(state.sessionIdsByUser, session.userId, session.id);
  }

  /**
   * The session if it is still live by the store's clock; an expired one is purged on the spot,
   * so that no later write (a renewal, a failed attempt) can bring it back.
   */
  function live(id: string): SessionRecord | undefined {
    const session = state.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= now()) {
      remove(session);
      return undefined;
    }
    return session;
  }

  return {
    async create(session: SessionRecord): Promise<void> {
      // Ids carry 128 random bits, so a clash is a bug; overwriting would corrupt the user index.
      if (state.sessions.has(session.id)) throw new Error("memory store: session id already exists");
      state.sessions.set(session.id, copySession(session));
      addToIndex(state.sessionIdsByUser, session.userId, session.id);
    },

    async get(id: string): Promise<SessionRecord | null> {
      const session = live(id);
      return session ? copySession(session) : null;
    },

    async update(id: string, patch: SessionPatch, expected?: SessionExpectation): Promise<SessionRecord | null> {
      const session = live(id);
      if (!session) return null;
      if (expected?.version !== undefined && expected.version !== session.version) return null;
      if (expected?.state !== undefined && expected.state !== session.state) return null;
      const updated = copySession({
        ...session,
        ...(patch.state !== undefined ? { state: patch.state } : {}),
        ...(patch.expiresAt !== undefined ? { expiresAt: patch.expiresAt } : {}),
        ...(patch.lastSeenAt !== undefined ? { lastSeenAt: patch.lastSeenAt } : {}),
        version: session.version + 1,
      });
      state.sessions.set(id, updated);
      return copySession(updated);
    },

    async delete(id: string): Promise<boolean> {
      const session = state.sessions.get(id);
      if (!session) return false;
      remove(session);
      return true;
    },

    async listByUser(userId: string): Promise<SessionRecord[]> {
      const ids = state.sessionIdsByUser.get(userId);
      if (!ids) return [];
      const result: SessionRecord[] = [];
      // Spread first: `live` may delete from this very set.
      for (const id of [...ids]) {
        const session = live(id);
        if (session) result.push(copySession(session));
      }
      return result;
    },

    async deleteByUser(userId: string, exceptId?: string): Promise<number> {
      const ids = state.sessionIdsByUser.get(userId);
      if (!ids) return 0;
      let removed = 0;
      for (const id of [...ids]) {
        if (id === exceptId) continue;
        // Expired sessions go too, but only live ones count: the number is reported to users as
        // "sessions revoked".
        const session = live(id);
        if (!session) continue;
        remove(session);
        removed += 1;
      }
      return removed;
    },

    async deleteExpired(at: number): Promise<number> {
      let removed = 0;
      for (const session of [...state.sessions.values()]) {
        if (session.expiresAt <= at) {
          remove(session);
          removed += 1;
        }
      }
      return removed;
    },

    async recordFailedAttempt(id: string): Promise<number | null> {
      const session = live(id);
      if (!session) return null;
      const failedAttempts = session.failedAttempts + 1;
      state.sessions.set(id, copySession({ ...session, failedAttempts, version: session.version + 1 }));
      return failedAttempts;
    },
  };
}
