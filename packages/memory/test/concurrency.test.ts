import { describe, expect, it } from "vitest";
import { createTestStore, expectIndexesExact, session, user } from "./records.js";

function countTrue(results: readonly boolean[]): number {
  return results.filter(Boolean).length;
}

function times<T>(n: number, call: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => call(i)));
}

describe("concurrent callers", () => {
  it("accepts one TOTP step exactly once among 20 concurrent callers", async () => {
    const store = createTestStore();
    await store.users.create(user("u1"));

    const results = await times(20, () => store.users.advanceTotpStep("u1", 57_000_000));

    expect(countTrue(results)).toBe(1);
    expect(store.dump().totpSteps).toEqual([{ userId: "u1", step: 57_000_000 }]);
  });

  it("creates one user among 20 concurrent registrations of one name", async () => {
    const store = createTestStore();

    const results = await times(20, (i) => store.users.create(user(`u${i}`, { nameKey: "ann" })));

    expect(countTrue(results)).toBe(1);
    expect(store.dump().users).toHaveLength(1);
  });

  it("lets exactly one of 20 concurrent password changes expecting the same old hash win", async () => {
    const store = createTestStore();
    await store.users.create(user("u1", { passwordHash: "old" }));

    const results = await times(20, (i) => store.users.update("u1", { passwordHash: `new${i}` }, { passwordHash: "old" }));

    expect(countTrue(results)).toBe(1);
    expect((await store.users.getById("u1"))?.passwordHash).toBe(`new${results.indexOf(true)}`);
  });

  it("redeems one recovery code exactly once among 50 concurrent consumers", async () => {
    const store = createTestStore();
    await store.recoveryCodes.replace("u1", ["d1", "d2", "d3"]);

    const results = await times(50, () => store.recoveryCodes.consume("u1", "d2"));

    expect(countTrue(results)).toBe(1);
    expect(await store.recoveryCodes.count("u1")).toBe(2);
  });

  it("counts 300 concurrent rate-limit hits as exactly 1 to 300", async () => {
    const store = createTestStore();

    const windows = await times(300, () => store.rateLimits.hit("login:ann", 60_000, 1_000));

    expect(windows.map((w) => w.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(new Set(windows.map((w) => w.resetAt))).toEqual(new Set([61_000]));
    expect(await store.rateLimits.peek("login:ann", 1_000)).toEqual({ count: 300, resetAt: 61_000 });
  });

  it("lets exactly one of 25 concurrent unlocks win the compare-and-set", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1", { state: "locked", version: 0 }));

    const results = await times(25, () => store.sessions.update("s1", { state: "active" }, { version: 0, state: "locked" }));

    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await store.sessions.get("s1")).toMatchObject({ state: "active", version: 1 });
  });

  it("gives 40 concurrent failed attempts 40 distinct counts", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1", { state: "locked" }));

    const counts = await times(40, () => store.sessions.recordFailedAttempt("s1"));

    expect([...counts].sort((a, b) => a! - b!)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await store.sessions.get("s1")).toMatchObject({ failedAttempts: 40, version: 40 });
  });

  it("reports true to exactly one of 30 concurrent deletes of one session", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1"));

    const results = await times(30, () => store.sessions.delete("s1"));

    expect(countTrue(results)).toBe(1);
    expectIndexesExact(store);
  });

  it("never resurrects a session deleted while an update was pending", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1"));
    await store.sessions.create(session("s2", "u1"));

    // Both orders: the update lands before the delete (and dies with it), or finds nothing.
    await Promise.all([
      store.sessions.update("s1", { expiresAt: 99 * 10 ** 12 }),
      store.sessions.delete("s1"),
      store.sessions.delete("s2"),
      store.sessions.update("s2", { expiresAt: 99 * 10 ** 12 }),
      store.sessions.recordFailedAttempt("s2"),
    ]);

    expect(await store.sessions.get("s1")).toBeNull();
    expect(await store.sessions.get("s2")).toBeNull();
    expect(await store.sessions.listByUser("u1")).toEqual([]);
    expect(store.dump().sessionIdsByUser).toEqual([]);
  });

  it("leaves the index exact when logout-everywhere races new logins", async () => {
    const store = createTestStore();
    await times(10, (i) => store.sessions.create(session(`old${i}`, "u1")));

    const [revoked] = await Promise.all([
      store.sessions.deleteByUser("u1"),
      times(10, (i) => store.sessions.create(session(`new${i}`, "u1"))),
    ]);

    expect(revoked).toBe(10);
    expect((await store.sessions.listByUser("u1")).map((s) => s.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `new${i}`).sort(),
    );
    expectIndexesExact(store);
  });
});
