import { createCaseContext } from "./context.js";
import { StoreCallError, describeError, labelled } from "./errors.js";
import { instrumentStore } from "./instrument.js";
import type { ConformanceCase, ConformanceHarness } from "./types.js";

/**
 * One case against a fresh store from the harness, destroyed afterwards whatever happened.
 * Rejects with the case's failure; a failing destroyStore is reported only when the case passed,
 * because the case's own failure is the one the adapter's author needs to see first.
 */
export async function runCase(harness: ConformanceHarness, conformanceCase: ConformanceCase): Promise<void> {
  const store = await labelled("harness.createStore", () => harness.createStore());
  let failure: { readonly error: unknown } | undefined;
  try {
    await conformanceCase.run(createCaseContext(instrumentStore(store)));
  } catch (error) {
    failure = { error };
  }
  try {
    await harness.destroyStore?.(store);
  } catch (error) {
    if (failure === undefined) {
      throw new StoreCallError(`harness.destroyStore threw ${describeError(error)}`, { cause: error });
    }
  }
  if (failure !== undefined) throw failure.error;
}
