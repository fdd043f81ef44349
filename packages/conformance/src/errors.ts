import { AssertionError } from "node:assert";

/** A call into the adapter (or the harness) threw; the message names the call. */
export class StoreCallError extends Error {
  override readonly name = "StoreCallError";
}

/** One line for a report: assertion messages as written, anything else with its error name. */
export function describeError(error: unknown): string {
  if (error instanceof AssertionError || error instanceof StoreCallError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs `call`, re-throwing any failure as a `StoreCallError` that says which call it was. */
export async function labelled<T>(what: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StoreCallError(`${what} threw ${describeError(error)}`, { cause: error });
  }
}
