import type { Clock } from "../../src/index.js";

/** A clock that only moves when a test moves it. */
export interface ManualClock extends Clock {
  set(time: number): void;
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 0, 15, 9, 0, 0)): ManualClock {
  let time = start;
  return {
    now: () => time,
    set(next) {
      time = next;
    },
    advance(ms) {
      time += ms;
    },
  };
}
