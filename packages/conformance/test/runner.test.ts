import type { Store } from "@tessera/core";
import { describe, expect, it } from "vitest";
import { conformanceCases, runStoreConformance, type ConformanceHarness, type ConformanceResult } from "../src/index.js";
import { createFlawedStore } from "./fixtures/flawed-store.js";
import { flawedHarness } from "./fixtures/harness.js";

const healthOnly = { filter: (c: { readonly part: string }) => c.part === "health" };

describe("runStoreConformance", () => {
  it("passes a store that honours the contract on every case", async () => {
    const report = await runStoreConformance(flawedHarness());
    const failures = report.results.filter((result) => !result.ok).map((result) => `${result.name}: ${result.error}`);
    expect(failures).toEqual([]);
    expect(report).toMatchObject({ harness: "flawless fixture", passed: conformanceCases.length, failed: 0 });
    expect(report.results.map((result) => result.name)).toEqual(conformanceCases.map((c) => c.name));
  });

  it("creates one fresh store per case and destroys each one after its case", async () => {
    const created: Store[] = [];
    const destroyed: Store[] = [];
    const log: string[] = [];
    await runStoreConformance({
      name: "counting",
      setup: () => void log.push("setup"),
      teardown: () => void log.push("teardown"),
      createStore: () => {
        const store = createFlawedStore();
        created.push(store);
        log.push("create");
        return store;
      },
      destroyStore: async (store) => {
        destroyed.push(store);
        log.push("destroy");
      },
    });
    expect(new Set(created).size).toBe(conformanceCases.length);
    expect(destroyed).toEqual(created);
    expect(log).toEqual(["setup", ...conformanceCases.flatMap(() => ["create", "destroy"]), "teardown"]);
  });

  it("destroys the store even when its case fails", async () => {
    const destroyed: Store[] = [];
    const report = await runStoreConformance(
      { name: "unhealthy", createStore: () => createFlawedStore({ flaw: "unhealthy" }), destroyStore: (store) => void destroyed.push(store) },
      healthOnly,
    );
    expect(report.failed).toBe(1);
    expect(destroyed).toHaveLength(1);
  });

  it("runs only the cases the filter selects and reports each through onResult, in order", async () => {
    const seen: ConformanceResult[] = [];
    const report = await runStoreConformance(flawedHarness(), {
      filter: (c) => c.part === "rateLimits",
      onResult: (result) => seen.push(result),
    });
    const rateLimitCases = conformanceCases.filter((c) => c.part === "rateLimits");
    expect(seen).toEqual(report.results);
    expect(seen.map((result) => result.name)).toEqual(rateLimitCases.map((c) => c.name));
    expect(seen.every((result) => result.part === "rateLimits" && result.ok && result.durationMs >= 0)).toBe(true);
  });

  it("names the adapter method that threw", async () => {
    const harness: ConformanceHarness = {
      name: "broken get",
      createStore: () => {
        const store = createFlawedStore();
        return {
          ...store,
          sessions: {
            ...store.sessions,
            get: async () => {
              throw new Error("connection refused");
            },
          },
        };
      },
    };
    const report = await runStoreConformance(harness, { filter: (c) => c.name === "get of an unknown id returns null" });
    expect(report.results).toEqual([
      expect.objectContaining({ ok: false, error: "sessions.get threw Error: connection refused" }),
    ]);
  });

  it("reports a failing createStore as the failure of each case", async () => {
    const report = await runStoreConformance(
      { name: "no database", createStore: () => Promise.reject(new Error("ECONNREFUSED 127.0.0.1:5432")) },
      healthOnly,
    );
    expect(report.results).toEqual([expect.objectContaining({ ok: false, error: "harness.createStore threw Error: ECONNREFUSED 127.0.0.1:5432" })]);
  });

  it("reports a failing destroyStore on a case that passed", async () => {
    const report = await runStoreConformance(
      {
        name: "leaky cleanup",
        createStore: () => createFlawedStore(),
        destroyStore: () => {
          throw new Error("DROP SCHEMA failed");
        },
      },
      healthOnly,
    );
    expect(report.results).toEqual([expect.objectContaining({ ok: false, error: "harness.destroyStore threw Error: DROP SCHEMA failed" })]);
  });

  it("rejects when setup throws, and still runs teardown", async () => {
    let tornDown = false;
    const run = runStoreConformance({
      name: "no container",
      setup: () => {
        throw new Error("docker is not running");
      },
      teardown: () => {
        tornDown = true;
      },
      createStore: () => createFlawedStore(),
    });
    await expect(run).rejects.toThrow("docker is not running");
    expect(tornDown).toBe(true);
  });
});
