import { StoreCallError, describeError } from "./errors.js";

/**
 * Starts every call before awaiting any (all requests are in flight at once), then waits for all
 * of them even when some fail, so no call is still running when the case ends and the store is
 * destroyed.
 */
export async function settleAll<T>(what: string, calls: readonly (() => Promise<T>)[]): Promise<T[]> {
  const pending = calls.map((call) => new Promise<T>((resolve) => resolve(call())));
  const settled = await Promise.allSettled(pending);
  const failures = settled.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
  const first = failures[0];
  if (first !== undefined) {
    throw new StoreCallError(`${what}: ${failures.length} of ${calls.length} concurrent calls threw; first: ${describeError(first.reason)}`, {
      cause: first.reason,
    });
  }
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}

/** `n` concurrent calls of `call(0)`, …, `call(n - 1)`; resolves with their results in that order. */
export function fireConcurrently<T>(what: string, n: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return settleAll(
    what,
    Array.from({ length: n }, (_, index) => () => call(index)),
  );
}

export function countWhere<T>(values: readonly T[], predicate: (value: T) => boolean): number {
  return values.filter(predicate).length;
}
