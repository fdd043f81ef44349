import { createMemoryStore } from "@tessera/memory";
import { describeStoreConformance } from "../src/vitest.js";

// The repository's own adapters run the suite exactly as an integrator would.
describeStoreConformance({
  name: "@tessera/memory",
  createStore: () => createMemoryStore(),
  destroyStore: (store) => store.close?.(),
});
