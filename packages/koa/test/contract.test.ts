import { describeHttpContract } from "../../core/test/http/contract.js";
import { koaHarness } from "./harness.js";

describeHttpContract(koaHarness);
