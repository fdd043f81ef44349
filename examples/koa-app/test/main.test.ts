import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const exampleDir = join(import.meta.dirname, "..");

// main.ts runs as a real process, the way `pnpm start` runs it: compiled to a scratch directory
// whose node_modules is this package's, so nothing is written inside the repository.
const outDir = mkdtempSync(join(tmpdir(), "tessera-koa-example-"));
symlinkSync(join(exampleDir, "node_modules"), join(outDir, "node_modules"), "dir");
for (const file of readdirSync(join(exampleDir, "src"))) {
  const { outputText } = ts.transpileModule(readFileSync(join(exampleDir, "src", file), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  writeFileSync(join(outDir, file.replace(/\.ts$/, ".js")), outputText);
}
writeFileSync(join(outDir, "package.json"), JSON.stringify({ type: "module" }));

const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(outDir, { recursive: true, force: true });
});

function runMain(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(outDir, "main.js")], { env: { PATH: process.env["PATH"] ?? "", ...env } });
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, output: () => output, exited };
}

async function waitFor(child: ChildProcessWithoutNullStreams, output: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("main", () => {
  it("prints the URL, the demo account and curl examples, serves, and stops on SIGTERM", async () => {
    const { child, output, exited } = runMain({ PORT: "0", TESSERA_SECRET: "koa-example-test-secret-0123456789abcdef" });
    const [, url, password] = await waitFor(child, output, /on (http:\/\/localhost:\d+\/api\/v1) — demo account: demo \/ (\S+)/);
    expect(output()).toMatch(/curl -s -X POST http:\/\/localhost:\d+\/api\/v1\/login/);

    const login = await fetch(`${url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "demo", password }),
    });
    expect(login.status).toBe(200);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output()).toMatch(/SIGTERM: finishing open requests, then exiting\.\nStopped\./);
  });

  it.each(["postgres", "redis"])("exits with one clear line for TESSERA_STORE=%s", async (store) => {
    const { output, exited } = runMain({ TESSERA_STORE: store });
    expect(await exited).toBe(1);
    expect(output().trim()).toBe(`Cannot start: @tessera/${store} is not available yet; use TESSERA_STORE=memory`);
  });

  it("exits with core's explanation for a secret that is too short", async () => {
    const { output, exited } = runMain({ TESSERA_SECRET: "short", PORT: "0" });
    expect(await exited).toBe(1);
    expect(output()).toMatch(/^Cannot start: .*secret/);
    expect(output()).not.toMatch(/\n\s+at /);
  });
});
