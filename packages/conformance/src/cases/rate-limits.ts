import { ensure, expectEachCountOnce, expectRecord, expectResult, show } from "../check.js";
import { fireConcurrently } from "../concurrency.js";
import { casesOf } from "../define.js";
import { HOUR, SECOND } from "../records.js";
import type { ConformanceCase } from "../types.js";

const rateLimitCase = casesOf("rateLimits");

/**
 * Windows end an hour after real time: a store that also expires keys natively (Redis PEXPIREAT
 * resetAt) keeps them for the whole case, so what is checked is the adapter's own `resetAt <= now`.
 */
const WINDOW = HOUR;

export const rateLimitCases: readonly ConformanceCase[] = [
  rateLimitCase("hit counts within a window and keeps its resetAt", async (ctx) => {
    const { rateLimits } = ctx.store;
    const key = ctx.id("login");
    const other = ctx.id("other");
    const t0 = Date.now();
    const resetAt = t0 + WINDOW;
    expectRecord(await rateLimits.hit(key, WINDOW, t0), { count: 1, resetAt }, "rateLimits.hit on a fresh key");
    expectRecord(await rateLimits.hit(key, WINDOW, t0 + SECOND), { count: 2, resetAt }, "rateLimits.hit, second in the window");
    // A different windowMs mid-window changes nothing: the window is fixed when it starts.
    expectRecord(
      await rateLimits.hit(key, 2 * WINDOW, t0 + 2 * SECOND),
      { count: 3, resetAt },
      "rateLimits.hit, third in the window, with another windowMs (resetAt must stay where the window started it; windows are fixed, not sliding)",
    );
    expectRecord(await rateLimits.hit(other, WINDOW, t0 + 2 * SECOND), { count: 1, resetAt: t0 + 2 * SECOND + WINDOW }, "rateLimits.hit on another key (keys count separately)");
  }),

  rateLimitCase("hit starts a new window once resetAt has passed", async (ctx) => {
    const { rateLimits } = ctx.store;
    const key = ctx.id("login");
    const t0 = Date.now();
    await rateLimits.hit(key, WINDOW, t0);
    await rateLimits.hit(key, WINDOW, t0 + SECOND);
    const boundary = t0 + WINDOW;
    expectRecord(
      await rateLimits.hit(key, WINDOW, boundary),
      { count: 1, resetAt: boundary + WINDOW },
      "rateLimits.hit at exactly the window's resetAt (resetAt <= now ends the window)",
    );
    expectRecord(await rateLimits.hit(key, WINDOW, boundary + SECOND), { count: 2, resetAt: boundary + WINDOW }, "rateLimits.hit, second in the new window");
    const later = t0 + 5 * WINDOW;
    expectRecord(await rateLimits.hit(key, WINDOW, later), { count: 1, resetAt: later + WINDOW }, "rateLimits.hit long after the window ended");
  }),

  rateLimitCase("peek reads a window without counting", async (ctx) => {
    const { rateLimits } = ctx.store;
    const key = ctx.id("ip");
    const t0 = Date.now();
    const resetAt = t0 + WINDOW;
    expectResult(await rateLimits.peek(key, t0), null, "rateLimits.peek of a fresh key");
    expectResult(await rateLimits.peek(key, t0), null, "rateLimits.peek of a fresh key, twice (peek must not start a window)");
    await rateLimits.hit(key, WINDOW, t0);
    expectRecord(await rateLimits.peek(key, t0 + SECOND), { count: 1, resetAt }, "rateLimits.peek after one hit");
    expectRecord(await rateLimits.peek(key, t0 + SECOND), { count: 1, resetAt }, "rateLimits.peek again (peek must not count)");
    expectRecord(await rateLimits.hit(key, WINDOW, t0 + 2 * SECOND), { count: 2, resetAt }, "rateLimits.hit after two peeks");
    expectRecord(await rateLimits.peek(key, resetAt - 1), { count: 2, resetAt }, "rateLimits.peek 1 ms before resetAt");
    expectResult(await rateLimits.peek(key, resetAt), null, "rateLimits.peek at exactly resetAt (a window that ended at or before now is none)");
  }),

  rateLimitCase("reset forgets the window of one key", async (ctx) => {
    const { rateLimits } = ctx.store;
    const key = ctx.id("account");
    const other = ctx.id("other account");
    const t0 = Date.now();
    await rateLimits.hit(key, WINDOW, t0);
    await rateLimits.hit(key, WINDOW, t0);
    await rateLimits.hit(other, WINDOW, t0);
    await rateLimits.reset(key);
    expectResult(await rateLimits.peek(key, t0 + SECOND), null, "rateLimits.peek after reset");
    expectRecord(await rateLimits.hit(key, WINDOW, t0 + SECOND), { count: 1, resetAt: t0 + SECOND + WINDOW }, "rateLimits.hit after reset (a new window)");
    expectRecord(await rateLimits.peek(other, t0 + SECOND), { count: 1, resetAt: t0 + WINDOW }, "rateLimits.peek of another key after reset");
    await rateLimits.reset(ctx.id("never hit"));
  }),

  rateLimitCase("300 concurrent hits on a fresh key return the counts 1..300, each once", async (ctx) => {
    const { rateLimits } = ctx.store;
    const key = ctx.id("flood");
    const t0 = Date.now();
    const windows = await fireConcurrently("rateLimits.hit", 300, () => rateLimits.hit(key, WINDOW, t0));
    expectEachCountOnce(
      windows.map((window) => window.count),
      300,
      "rateLimits.hit: 300 concurrent hits on a fresh key",
    );
    const resets = new Set(windows.map((window) => window.resetAt));
    ensure(
      resets.size === 1 && resets.has(t0 + WINDOW),
      `rateLimits.hit: 300 concurrent hits at one instant returned resetAt values ${show([...resets])}; expected only ${t0 + WINDOW} (one window)`,
    );
    expectRecord(await rateLimits.peek(key, t0), { count: 300, resetAt: t0 + WINDOW }, "rateLimits.peek after 300 concurrent hits");
  }),
];
