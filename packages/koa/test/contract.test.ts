import Koa2 from "koa2";
import { describeHttpContract } from "../../core/test/http/contract.js";
import { harnessFor, koaHarness } from "./harness.js";

describeHttpContract(koaHarness);
describeHttpContract(harnessFor("koa 2", Koa2));
