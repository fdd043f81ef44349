import { describe, expect, it } from "vitest";
import { createMemoryStore } from "../src/index.js";
import { apiKey, expectIndexesExact, manualClock, session } from "./records.js";

describe("lazy purge of expired sessions", () => {
  it("still returns a session one millisecond before it expires", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.sessions.create(session("s1", "u1", { expiresAt: 5_000 }));

    clock.set(4_999);
    expect(await store.sessions.get("s1")).toMatchObject({ id: "s1", expiresAt: 5_000 });
  });

  it("forgets a session on read once the clock reaches its expiry", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.sessions.create(session("s1", "u1", { expiresAt: 5_000 }));

    clock.set(5_000);
    expect(await store.sessions.get("s1")).toBeNull();
    expect(store.dump().sessions).toEqual([]);
    expect(store.dump().sessionIdsByUser).toEqual([]);
  });

  it("keeps an expired session until something reads it", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.sessions.create(session("s1", "u1", { expiresAt: 5_000 }));

    clock.set(10_000);
    expect(store.dump().sessions.map((s) => s.id)).toEqual(["s1"]);
  });

  it("drops expired sessions from listByUser and from the user's index", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.sessions.create(session("old", "u1", { expiresAt: 5_000 }));
    await store.sessions.create(session("new", "u1", { expiresAt: 50_000 }));

    clock.set(6_000);
    const listed = await store.sessions.listByUser("u1");

    expect(listed.map((s) => s.id)).toEqual(["new"]);
    expect(store.dump().sessionIdsByUser).toEqual([{ userId: "u1", sessionIds: ["new"] }]);
    expectIndexesExact(store);
  });

  it("removes the user's index entry when the last session expires", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.sessions.create(session("a", "u1", { expiresAt: 5_000 }));
    await store.sessions.create(session("b", "u1", { expiresAt: 6_000 }));

    clock.set(6_000);
    expect(await store.sessions.listByUser("u1")).toEqual([]);
    expect(store.dump().sessionIdsByUser).toEqual([]);
  });

  it("never lets a renewal revive a session that has already expired", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.sessions.create(session("s1", "u1", { expiresAt: 5_000 }));

    clock.set(5_000);
    expect(await store.sessions.update("s1", { expiresAt: 99_000 })).toBeNull();
    expect(await store.sessions.recordFailedAttempt("s1")).toBeNull();
    clock.set(0);
    expect(await store.sessions.get("s1")).toBeNull();
    expectIndexesExact(store);
  });

  it("counts only live sessions in deleteByUser but removes the expired ones too", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.sessions.create(session("expired", "u1", { expiresAt: 5_000 }));
    await store.sessions.create(session("live", "u1", { expiresAt: 50_000 }));

    clock.set(6_000);
    expect(await store.sessions.deleteByUser("u1")).toBe(1);
    expect(store.dump().sessions).toEqual([]);
    expect(store.dump().sessionIdsByUser).toEqual([]);
  });

  it("judges deleteExpired by the time passed in, not by its own clock", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.sessions.create(session("a", "u1", { expiresAt: 5_000 }));
    await store.sessions.create(session("b", "u2", { expiresAt: 7_000 }));
    await store.sessions.create(session("c", "u2", { expiresAt: 9_000 }));

    expect(await store.sessions.deleteExpired(7_000)).toBe(2);
    expect(store.dump().sessions.map((s) => s.id)).toEqual(["c"]);
    expect(store.dump().sessionIdsByUser).toEqual([{ userId: "u2", sessionIds: ["c"] }]);
    expectIndexesExact(store);
  });

  it("purges by Date.now when no clock is given", async () => {
    const store = createMemoryStore();
    await store.sessions.create(session("past", "u1", { expiresAt: Date.now() - 1 }));
    await store.sessions.create(session("future", "u1", { expiresAt: Date.now() + 60_000 }));

    expect(await store.sessions.get("past")).toBeNull();
    expect(await store.sessions.get("future")).not.toBeNull();
  });
});

describe("lazy purge of expired API keys", () => {
  it("forgets an expired key on get and on listByUser", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.apiKeys.create(apiKey("k1", "u1", { expiresAt: 5_000 }));
    await store.apiKeys.create(apiKey("k2", "u1", { expiresAt: 5_000 }));
    await store.apiKeys.create(apiKey("k3", "u1", { expiresAt: 50_000 }));

    clock.set(5_000);
    expect(await store.apiKeys.get("k1")).toBeNull();
    expect((await store.apiKeys.listByUser("u1")).map((k) => k.id)).toEqual(["k3"]);
    expect(store.dump().apiKeys.map((k) => k.id)).toEqual(["k3"]);
    expectIndexesExact(store);
  });

  it("does not let touch revive an expired key", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    await store.apiKeys.create(apiKey("k1", "u1", { expiresAt: 5_000 }));

    clock.set(5_000);
    await store.apiKeys.touch("k1", 5_000);
    expect(store.dump().apiKeys).toEqual([]);
    expect(store.dump().apiKeyIdsByUser).toEqual([]);
  });
});

describe("rate-limit windows", () => {
  it("starts a new window once the previous one has ended", async () => {
    const store = createMemoryStore();
    expect(await store.rateLimits.hit("login:ann", 1_000, 0)).toEqual({ count: 1, resetAt: 1_000 });
    expect(await store.rateLimits.hit("login:ann", 1_000, 999)).toEqual({ count: 2, resetAt: 1_000 });
    expect(await store.rateLimits.hit("login:ann", 1_000, 1_000)).toEqual({ count: 1, resetAt: 2_000 });
  });

  it("drops an ended window when it is peeked at", async () => {
    const store = createMemoryStore();
    await store.rateLimits.hit("ip:192.0.2.1", 1_000, 0);

    expect(await store.rateLimits.peek("ip:192.0.2.1", 999)).toEqual({ count: 1, resetAt: 1_000 });
    expect(await store.rateLimits.peek("ip:192.0.2.1", 1_000)).toBeNull();
    expect(store.dump().rateLimits).toEqual([]);
  });

  it("keeps memory bounded when every hit is on a new key and old windows end", async () => {
    const store = createMemoryStore();
    // One key per client IP, each hit once: nobody ever peeks at these keys again.
    for (let i = 0; i < 10_000; i += 1) await store.rateLimits.hit(`ip:${i}`, 10, i * 100);

    expect(store.dump().rateLimits.length).toBeLessThan(2_000);
    expect(store.dump().rateLimits.map((w) => w.key)).toContain("ip:9999");
  });

  it("never sweeps a window that is still open", async () => {
    const store = createMemoryStore();
    for (let i = 0; i < 3_000; i += 1) await store.rateLimits.hit(`ip:${i}`, 60_000, i);

    expect(store.dump().rateLimits).toHaveLength(3_000);
    expect(await store.rateLimits.peek("ip:0", 3_000)).toEqual({ count: 1, resetAt: 60_000 });
  });
});
