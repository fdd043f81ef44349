import { basename } from "node:path";
import type { ViteUserConfig } from "vitest/config";

type TestConfig = NonNullable<ViteUserConfig["test"]>;

/**
 * Test settings every package shares. When TESSERA_TEST_REPORT_DIR is set (`.ci/run` sets it),
 * each package also writes vitest's JSON report there, so CI can print one total line.
 */
export function sharedTestConfig(packageDir: string): TestConfig {
  const reportDir = process.env["TESSERA_TEST_REPORT_DIR"];
  const name = basename(packageDir);
  return {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    allowOnly: false,
    reporters: reportDir ? ["default", "json"] : ["default"],
    ...(reportDir ? { outputFile: { json: `${reportDir}/${name}.json` } } : {}),
  };
}
