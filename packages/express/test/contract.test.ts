import express from "express";
import express4 from "express4";
import { describeHttpContract } from "../../core/test/http/contract.js";
import { expressHarness } from "./harness.js";

describeHttpContract(expressHarness("express 5", express));
describeHttpContract(expressHarness("express 4", express4));
