import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOSTILE_SUFFIX, createCaseContext } from "../src/context.js";
import { conformanceCases } from "../src/index.js";
import { createFlawedStore } from "./fixtures/flawed-store.js";

describe("conformanceCases", () => {
  it("gives every case a unique name", () => {
    const names = conformanceCases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("covers every part of the Store", () => {
    expect(new Set(conformanceCases.map((c) => c.part))).toEqual(
      new Set(["users", "sessions", "recoveryCodes", "apiKeys", "rateLimits", "health"]),
    );
  });

  it("cannot be changed by an integrator", () => {
    expect(Object.isFrozen(conformanceCases)).toBe(true);
  });
});

describe("the context of a case", () => {
  it("gives every case its own random namespace", () => {
    const store = createFlawedStore();
    const namespaces = Array.from({ length: 100 }, () => createCaseContext(store).ns);
    expect(new Set(namespaces).size).toBe(100);
    for (const ns of namespaces) expect(ns).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });

  it("builds ids from the namespace, the label and every hostile character", () => {
    const ctx = createCaseContext(createFlawedStore());
    const id = ctx.id("alice");
    expect(id.startsWith(ctx.ns)).toBe(true);
    expect(id).toContain("alice");
    for (const hostile of ["'", '"', "*", "?", "{", "}", "%", "_", " ", "ü", "漢", "🔑"]) expect(id).toContain(hostile);
    expect(id.endsWith(HOSTILE_SUFFIX)).toBe(true);
    expect(ctx.id("alice")).toBe(id);
    expect(ctx.id("bob")).not.toBe(id);
  });
});

describe("the package entry points", () => {
  it("keeps the runner-agnostic entry free of vitest", async () => {
    const sources = await listSources(join(import.meta.dirname, "../src"));
    const importingVitest = [];
    for (const file of sources) {
      if (file.endsWith("/vitest.ts")) continue;
      if (/from\s+["']vitest/.test(await readFile(file, "utf8"))) importingVitest.push(file);
    }
    expect(importingVitest).toEqual([]);
  });
});

async function listSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? listSources(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
  );
  return nested.flat().filter((file) => file.endsWith(".ts"));
}
