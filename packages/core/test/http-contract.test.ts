import { describeHttpContract } from "./http/contract.js";
import { nodeHarness } from "./http/node-harness.js";

// The framework packages run this same suite against Express and Koa.
describeHttpContract(nodeHarness);
