import { describe, expect, it } from "vitest";
import { createMemoryStore } from "../src/index.js";
import { apiKey, createTestStore, expectIndexesExact, manualClock, session } from "./records.js";

describe("per-user index", () => {
  it("drops a user's entry when their only session is deleted", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1"));

    expect(await store.sessions.delete("s1")).toBe(true);
    expect(store.dump().sessionIdsByUser).toEqual([]);
    expect(await store.sessions.listByUser("u1")).toEqual([]);
  });

  it("keeps the other sessions of the user when one is deleted", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1"));
    await store.sessions.create(session("s2", "u1"));

    await store.sessions.delete("s1");
    expect(store.dump().sessionIdsByUser).toEqual([{ userId: "u1", sessionIds: ["s2"] }]);
  });

  it("deletes every session of a user but the current one, and no one else's", async () => {
    const store = createTestStore();
    await store.sessions.create(session("a1", "alice"));
    await store.sessions.create(session("a2", "alice"));
    await store.sessions.create(session("a3", "alice"));
    await store.sessions.create(session("b1", "bob"));

    expect(await store.sessions.deleteByUser("alice", "a2")).toBe(2);

    expect(store.dump().sessionIdsByUser).toEqual([
      { userId: "alice", sessionIds: ["a2"] },
      { userId: "bob", sessionIds: ["b1"] },
    ]);
    expectIndexesExact(store);
  });

  it("removes the user's entry when deleteByUser keeps nothing", async () => {
    const store = createTestStore();
    await store.sessions.create(session("a1", "alice"));
    await store.sessions.create(session("a2", "alice"));

    expect(await store.sessions.deleteByUser("alice")).toBe(2);
    expect(await store.sessions.deleteByUser("alice")).toBe(0);
    expect(store.dump().sessionIdsByUser).toEqual([]);
  });

  it("ignores an exceptId that belongs to another user", async () => {
    const store = createTestStore();
    await store.sessions.create(session("a1", "alice"));
    await store.sessions.create(session("b1", "bob"));

    expect(await store.sessions.deleteByUser("alice", "b1")).toBe(1);
    expect(store.dump().sessions.map((s) => s.id)).toEqual(["b1"]);
    expectIndexesExact(store);
  });

  it("keeps API key listings exact after deletes", async () => {
    const store = createTestStore();
    await store.apiKeys.create(apiKey("k1", "alice"));
    await store.apiKeys.create(apiKey("k2", "alice"));
    await store.apiKeys.create(apiKey("k3", "bob"));

    expect(await store.apiKeys.delete("k1")).toBe(true);
    expect(await store.apiKeys.delete("k3")).toBe(true);
    expect(await store.apiKeys.delete("k3")).toBe(false);

    expect((await store.apiKeys.listByUser("alice")).map((k) => k.id)).toEqual(["k2"]);
    expect(await store.apiKeys.listByUser("bob")).toEqual([]);
    expect(store.dump().apiKeyIdsByUser).toEqual([{ userId: "alice", apiKeyIds: ["k2"] }]);
  });

  it("stays exact through a long random mix of creates, deletes and expiries", async () => {
    const clock = manualClock(0);
    const store = createMemoryStore({ now: clock.now });
    // A fixed-seed generator, so a failure replays identically.
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const users = ["u0", "u1", "u2", "u3"];
    const pick = (): string => users[random(users.length)]!;
    let nextId = 0;

    for (let step = 0; step < 600; step += 1) {
      const known = store.dump().sessions.map((s) => s.id);
      const someId = known.length > 0 ? known[random(known.length)]! : "none";
      switch (random(8)) {
        case 0:
        case 1:
        case 2:
          await store.sessions.create(session(`s${nextId++}`, pick(), { expiresAt: clock.now() + 1 + random(500) }));
          break;
        case 3:
          await store.sessions.delete(someId);
          break;
        case 4:
          await store.sessions.deleteByUser(pick(), someId);
          break;
        case 5:
          await store.sessions.deleteExpired(clock.now());
          break;
        case 6:
          await store.sessions.listByUser(pick());
          break;
        case 7:
          await store.sessions.get(someId);
          break;
      }
      clock.set(clock.now() + random(20));
      expectIndexesExact(store);
    }
  });
});
