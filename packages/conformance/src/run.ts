import { performance } from "node:perf_hooks";
import { conformanceCases } from "./cases/index.js";
import { describeError } from "./errors.js";
import { runCase } from "./run-case.js";
import type { ConformanceHarness, ConformanceOptions, ConformanceReport, ConformanceResult } from "./types.js";

/**
 * Runs the suite without any test runner: every case in order, one fresh store each, and resolves
 * with a report (it does not reject because cases fail). Rejects only when the harness's own
 * `setup` or `teardown` throws; `teardown` runs even when `setup` threw.
 */
export async function runStoreConformance(harness: ConformanceHarness, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const { filter, onResult } = options;
  const selected = filter === undefined ? conformanceCases : conformanceCases.filter(filter);
  const results: ConformanceResult[] = [];
  try {
    // Inside the try: a setup that half-succeeded (container up, migration failed) still gets torn down.
    await harness.setup?.();
    for (const conformanceCase of selected) {
      const started = performance.now();
      let error: string | undefined;
      try {
        await runCase(harness, conformanceCase);
      } catch (thrown) {
        error = describeError(thrown);
      }
      const durationMs = performance.now() - started;
      const result: ConformanceResult =
        error === undefined
          ? { name: conformanceCase.name, part: conformanceCase.part, ok: true, durationMs }
          : { name: conformanceCase.name, part: conformanceCase.part, ok: false, error, durationMs };
      results.push(result);
      onResult?.(result);
    }
  } finally {
    await harness.teardown?.();
  }
  const failed = results.filter((result) => !result.ok).length;
  return { harness: harness.name, passed: results.length - failed, failed, results };
}
