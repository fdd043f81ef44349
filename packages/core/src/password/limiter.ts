import { AuthError } from "../errors.js";

/**
 * Bounds concurrent password hashing. argon2 runs on the libuv thread pool; an unbounded
 * backlog of hashes is both a memory problem (19 MiB each) and a latency cliff for every other
 * use of the pool (file system, DNS). Work beyond `maxConcurrent` waits in a queue of at most
 * `maxQueued`; past that, callers get `AuthError("busy")` at once (HTTP 503 busy).
 */
export interface HashLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly queued: number;
}

export interface HashLimiterOptions {
  readonly maxConcurrent: number;
  readonly maxQueued: number;
}

/** The libuv pool size: what async native work (argon2 included) actually runs on. */
export function libuvPoolSize(): number {
  const configured = Number.parseInt(process.env["UV_THREADPOOL_SIZE"] ?? "", 10);
  return Number.isInteger(configured) && configured > 0 ? configured : 4;
}

export function createHashLimiter(options: HashLimiterOptions): HashLimiter {
  let active = 0;
  const waiting: Array<() => void> = [];

  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };

  return {
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active < options.maxConcurrent) {
        active += 1;
      } else if (waiting.length < options.maxQueued) {
        // The slot is handed over directly by `release`, so `active` stays correct.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        throw new AuthError("busy", "Too many password checks in progress; retry shortly");
      }
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
