import type { RateLimitStore, RateLimitWindow } from "@tessera/core";
import { RATE_LIMIT_SWEEP_MIN } from "./state.js";
import type { MemoryState } from "./state.js";

// Windows are judged by the `now` core passes in, not by the store's clock, so a limit behaves
// exactly as core computed it.

export function createRateLimitStore(state: MemoryState): RateLimitStore {
  /**
   * Drops every ended window once the map has doubled since the last sweep: keys that are never
   * hit again (one per client IP) cannot pile up, and the cost stays amortised O(1) per hit.
   */
  function sweepEnded(now: number): void {
    if (state.rateLimits.size < state.nextRateLimitSweep) return;
    for (const [key, window] of state.rateLimits) {
      if (window.resetAt <= now) state.rateLimits.delete(key);
    }
    state.nextRateLimitSweep = Math.max(RATE_LIMIT_SWEEP_MIN, state.rateLimits.size * 2);
  }

  return {
    async hit(key: string, windowMs: number, now: number): Promise<RateLimitWindow> {
      sweepEnded(now);
      const current = state.rateLimits.get(key);
      const next: RateLimitWindow =
        current === undefined || current.resetAt <= now
          ? { count: 1, resetAt: now + windowMs }
          : { count: current.count + 1, resetAt: current.resetAt };
      state.rateLimits.set(key, next);
      return { count: next.count, resetAt: next.resetAt };
    },

    async peek(key: string, now: number): Promise<RateLimitWindow | null> {
      const current = state.rateLimits.get(key);
      if (current === undefined) return null;
      if (current.resetAt <= now) {
        state.rateLimits.delete(key);
        return null;
      }
      return { count: current.count, resetAt: current.resetAt };
    },

    async reset(key: string): Promise<void> {
      state.rateLimits.delete(key);
    },
  };
}
