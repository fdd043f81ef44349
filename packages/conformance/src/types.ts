import type { Store } from "@tessera/core";

/** The parts of a Store (DESIGN §4) a case exercises. */
export type StorePart = "users" | "sessions" | "recoveryCodes" | "apiKeys" | "rateLimits" | "health";

/** How the suite gets the stores it tests: the one thing an integrator writes. */
export interface ConformanceHarness {
  /** Shown in test names and in the report. */
  readonly name: string;
  /** A store for one case; called once per case, so a case never sees another case's leftovers. */
  createStore(): Store | Promise<Store>;
  /** Cleanup after a case (drop keys or schema, close connections). Runs even when the case fails. */
  destroyStore?(store: Store): void | Promise<void>;
  /** Once before all cases (start a container, run migrations). */
  setup?(): void | Promise<void>;
  /** Once after all cases. */
  teardown?(): void | Promise<void>;
}

/** What a case gets: a fresh store and a namespace private to this run of the case. */
export interface CaseContext {
  readonly store: Store;
  /** Random, different for every case run: keeps cases apart on a shared database. */
  readonly ns: string;
  /**
   * An id, key or name for `label`, inside `ns`, with hostile characters (quotes, `*`, `?`, `{}`,
   * `%`, `_`, a space, unicode) so that an adapter treating ids as patterns gets caught.
   */
  id(label: string): string;
}

export interface ConformanceCase {
  /** Unique across the suite; reads like the behaviour it pins. */
  readonly name: string;
  readonly part: StorePart;
  /** Resolves when the store conforms; rejects (with an `AssertionError` saying what is wrong) when not. */
  run(ctx: CaseContext): Promise<void>;
}

export interface ConformanceResult {
  readonly name: string;
  readonly part: string;
  readonly ok: boolean;
  /** Why the case failed, written for the adapter's author. */
  readonly error?: string;
  readonly durationMs: number;
}

export interface ConformanceReport {
  readonly harness: string;
  readonly passed: number;
  readonly failed: number;
  readonly results: readonly ConformanceResult[];
}

export interface ConformanceOptions {
  /** Runs only the cases it returns `true` for. */
  readonly filter?: (conformanceCase: ConformanceCase) => boolean;
  /** Called after each case, in order (for progress output). */
  readonly onResult?: (result: ConformanceResult) => void;
}

export type DescribeConformanceOptions = Pick<ConformanceOptions, "filter">;
