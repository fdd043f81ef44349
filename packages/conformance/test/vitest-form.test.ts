import { describe, expect, it } from "vitest";
import { conformanceCases } from "../src/index.js";
import { describeStoreConformance } from "../src/vitest.js";
import { createFlawedStore } from "./fixtures/flawed-store.js";

const lifecycle = { setup: 0, created: 0, destroyed: 0, teardown: 0 };

// The integrator's view: one call, the whole suite registered as vitest tests.
describeStoreConformance({
  name: "flawless fixture",
  setup: () => {
    lifecycle.setup += 1;
  },
  createStore: () => {
    lifecycle.created += 1;
    return createFlawedStore();
  },
  destroyStore: () => {
    lifecycle.destroyed += 1;
  },
  teardown: () => {
    lifecycle.teardown += 1;
  },
});

const filtered = { created: 0 };
describeStoreConformance(
  {
    name: "health only",
    createStore: () => {
      filtered.created += 1;
      return createFlawedStore();
    },
  },
  { filter: (c) => c.part === "health" },
);

// Vitest runs a file's suites in order, each suite's afterAll before the next suite starts.
describe("describeStoreConformance", () => {
  it("ran setup and teardown once, and one store per case, created and destroyed", () => {
    expect(lifecycle).toEqual({ setup: 1, created: conformanceCases.length, destroyed: conformanceCases.length, teardown: 1 });
  });

  it("registers only the cases the filter selects", () => {
    expect(filtered.created).toBe(conformanceCases.filter((c) => c.part === "health").length);
  });
});
