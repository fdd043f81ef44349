// The runner-agnostic entry point. It must never import vitest: integrators on other runners
// (node:test, mocha, a CI script) depend on it without having vitest installed.
export type {
  CaseContext,
  ConformanceCase,
  ConformanceHarness,
  ConformanceOptions,
  ConformanceReport,
  ConformanceResult,
  DescribeConformanceOptions,
  StorePart,
} from "./types.js";
export { conformanceCases } from "./cases/index.js";
export { runStoreConformance } from "./run.js";
