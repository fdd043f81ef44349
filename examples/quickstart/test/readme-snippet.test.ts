import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const exampleDir = join(import.meta.dirname, "..");
const readme = readFileSync(join(exampleDir, "../../README.md"), "utf8");

/** The first ```ts block after a heading of the root README. */
function snippetAfter(heading: string): string {
  const section = readme.slice(readme.indexOf(heading));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`no ts snippet after ${heading}`);
  return match[1];
}

describe("the root README", () => {
  // Written inside this package so `@tessera/core` resolves exactly as it would for a user.
  const dir = mkdtempSync(join(exampleDir, ".readme-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has a quick start that runs as written", async () => {
    const js = ts.transpileModule(snippetAfter("## Quick start: the engine"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const file = join(dir, "quick-start.mjs");
    writeFileSync(file, js);
    const { stdout } = await run(process.execPath, [file], {
      env: { ...process.env, TESSERA_SECRET: "a-test-secret-that-is-long-enough-0123456789" },
    });
    expect(stdout).toMatch(/tss_\S+ true/);
    expect(stdout).toMatch(/hello alice/);
  });
});
