import { ensure, show } from "../check.js";
import { casesOf } from "../define.js";
import type { ConformanceCase } from "../types.js";

const healthCase = casesOf("health");

export const healthCases: readonly ConformanceCase[] = [
  healthCase("health reports ok", async (ctx) => {
    const health = await ctx.store.health();
    ensure(
      typeof health === "object" && health !== null && health.ok === true,
      `health returned ${show(health)}; expected { ok: true } from a store that can serve`,
    );
  }),
];
