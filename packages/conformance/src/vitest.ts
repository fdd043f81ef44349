import { afterAll, beforeAll, describe, it } from "vitest";
import { conformanceCases } from "./cases/index.js";
import { runCase } from "./run-case.js";
import type { ConformanceHarness, DescribeConformanceOptions } from "./types.js";

export type { CaseContext, ConformanceCase, ConformanceHarness, DescribeConformanceOptions, StorePart } from "./types.js";

/**
 * Registers the suite with vitest: one `describe` for the harness, one `it` per case, a fresh
 * store created and destroyed around each case. Call it at the top level of a test file.
 */
export function describeStoreConformance(harness: ConformanceHarness, options: DescribeConformanceOptions = {}): void {
  const { filter } = options;
  const selected = filter === undefined ? conformanceCases : conformanceCases.filter(filter);
  describe(`Store conformance: ${harness.name}`, () => {
    beforeAll(async () => {
      await harness.setup?.();
    });
    afterAll(async () => {
      await harness.teardown?.();
    });
    for (const conformanceCase of selected) {
      it(`${conformanceCase.part}: ${conformanceCase.name}`, () => runCase(harness, conformanceCase));
    }
  });
}
