// Sums vitest's JSON reports (one per package, written when TESSERA_TEST_REPORT_DIR is set) and
// prints one plain closing line: "N passed, M failed". Exits non-zero when anything failed, a
// suite failed to load, or no test ran at all.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: summarize-tests.mjs <report-dir>");
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
let brokenSuites = 0;
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
for (const file of files) {
  const report = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const suitesFailedToRun = (report.testResults ?? []).filter((r) => r.status === "failed" && (r.assertionResults ?? []).length === 0).length;
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  brokenSuites += suitesFailedToRun;
  // An unhandled error or rejection fails the run even when every test passed.
  if (report.success === false && (report.numFailedTests ?? 0) === 0 && suitesFailedToRun === 0) brokenSuites += 1;
  console.log(`  ${file.replace(/\.json$/, "").padEnd(20)} ${report.numPassedTests} passed, ${report.numFailedTests} failed${suitesFailedToRun ? `, ${suitesFailedToRun} test files failed to load` : ""}`);
}
// A test file that cannot even load counts as a failure.
failed += brokenSuites;
console.log(skipped > 0 ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
