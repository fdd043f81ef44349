import { describe, expect, it } from "vitest";
import { apiKey, createTestStore, expectIndexesExact, session, user } from "./records.js";

const awkwardIds = [
  `quote"double`,
  "quote'single",
  "star*",
  "question?",
  "{hash-tag}",
  "%_like_%",
  "with space",
  "ünïcødé-🔑",
  "__proto__",
  "constructor",
  "",
];

describe("dump", () => {
  it("survives a JSON round trip unchanged", async () => {
    const store = createTestStore();
    await store.users.create(user("u1", { totp: { secret: "ciphertext", confirmedAt: 2_000 } }));
    await store.users.advanceTotpStep("u1", 7);
    await store.sessions.create(session("s1", "u1", { ip: null, userAgent: null }));
    await store.recoveryCodes.replace("u1", ["d2", "d1"]);
    await store.apiKeys.create(apiKey("k1", "u1"));
    await store.rateLimits.hit("login:name u1", 1_000, 0);

    const dump = store.dump();

    expect(JSON.parse(JSON.stringify(dump))).toEqual(dump);
    expect(dump).toEqual({
      users: [user("u1", { totp: { secret: "ciphertext", confirmedAt: 2_000 } })],
      userIdsByName: [{ nameKey: "name u1", userId: "u1" }],
      totpSteps: [{ userId: "u1", step: 7 }],
      sessions: [session("s1", "u1", { ip: null, userAgent: null })],
      sessionIdsByUser: [{ userId: "u1", sessionIds: ["s1"] }],
      recoveryCodes: [{ userId: "u1", digests: ["d1", "d2"] }],
      apiKeys: [apiKey("k1", "u1")],
      apiKeyIdsByUser: [{ userId: "u1", apiKeyIds: ["k1"] }],
      rateLimits: [{ key: "login:name u1", count: 1, resetAt: 1_000 }],
    });
  });

  it("round-trips ids such as __proto__ through JSON", async () => {
    const store = createTestStore();
    for (const id of awkwardIds) await store.sessions.create(session(id, id));

    const dump = store.dump();

    expect(JSON.parse(JSON.stringify(dump))).toEqual(dump);
    expect(dump.sessionIdsByUser.map((entry) => entry.userId).sort()).toEqual([...awkwardIds].sort());
  });
});

describe("ids and keys are stored literally", () => {
  it("finds each awkward id only by itself", async () => {
    const store = createTestStore();
    for (const id of awkwardIds) {
      expect(await store.users.create(user(id, { nameKey: id }))).toBe(true);
      await store.sessions.create(session(id, id));
      await store.apiKeys.create(apiKey(id, id));
      await store.recoveryCodes.replace(id, [id]);
      await store.rateLimits.hit(id, 1_000, 0);
    }

    for (const id of awkwardIds) {
      expect((await store.users.getById(id))?.id).toBe(id);
      expect((await store.users.getByName(id))?.id).toBe(id);
      expect((await store.sessions.listByUser(id)).map((s) => s.id)).toEqual([id]);
      expect((await store.apiKeys.listByUser(id)).map((k) => k.id)).toEqual([id]);
      expect(await store.recoveryCodes.count(id)).toBe(1);
      expect(await store.rateLimits.peek(id, 0)).toEqual({ count: 1, resetAt: 1_000 });
    }
    expect(await store.users.getByName("*")).toBeNull();
    expect(await store.sessions.deleteByUser("star*")).toBe(1);
    expect(await store.sessions.listByUser("star?")).toEqual([]);
    expect(store.dump().sessions).toHaveLength(awkwardIds.length - 1);
    expectIndexesExact(store);
  });
});

describe("users and TOTP steps", () => {
  it("refuses a second user with the same id even under another name", async () => {
    const store = createTestStore();

    expect(await store.users.create(user("u1", { nameKey: "ann" }))).toBe(true);
    expect(await store.users.create(user("u1", { nameKey: "bob" }))).toBe(false);
    expect(await store.users.getByName("bob")).toBeNull();
  });

  it("accepts only a step greater than the last one, and any step from zero at first", async () => {
    const store = createTestStore();
    await store.users.create(user("u1"));

    expect(await store.users.advanceTotpStep("u1", -1)).toBe(false);
    expect(await store.users.advanceTotpStep("u1", 0)).toBe(true);
    expect(await store.users.advanceTotpStep("u1", 0)).toBe(false);
    expect(await store.users.advanceTotpStep("u1", 5)).toBe(true);
    expect(await store.users.advanceTotpStep("u1", 4)).toBe(false);
    expect(await store.users.advanceTotpStep("u1", Number.NaN)).toBe(false);
  });

  it("records no step for an unknown user", async () => {
    const store = createTestStore();

    expect(await store.users.advanceTotpStep("ghost", 1)).toBe(false);
    expect(store.dump().totpSteps).toEqual([]);
  });
});

describe("recovery codes", () => {
  it("removes the user's entry when the last code is consumed or the list is emptied", async () => {
    const store = createTestStore();
    await store.recoveryCodes.replace("u1", ["d1"]);
    await store.recoveryCodes.replace("u2", ["d1", "d2"]);

    expect(await store.recoveryCodes.consume("u1", "d1")).toBe(true);
    await store.recoveryCodes.replace("u2", []);

    expect(store.dump().recoveryCodes).toEqual([]);
    expect(await store.recoveryCodes.consume("u2", "d1")).toBe(false);
  });

  it("never consumes another user's code", async () => {
    const store = createTestStore();
    await store.recoveryCodes.replace("u1", ["d1"]);

    expect(await store.recoveryCodes.consume("u2", "d1")).toBe(false);
    expect(await store.recoveryCodes.count("u1")).toBe(1);
  });
});

describe("lifecycle", () => {
  it("reports itself healthy", async () => {
    expect(await createTestStore().health()).toEqual({ ok: true });
  });

  it("forgets everything on close and stays usable", async () => {
    const store = createTestStore();
    await store.users.create(user("u1"));
    await store.users.advanceTotpStep("u1", 3);
    await store.sessions.create(session("s1", "u1"));
    await store.recoveryCodes.replace("u1", ["d1"]);
    await store.apiKeys.create(apiKey("k1", "u1"));
    await store.rateLimits.hit("login:ann", 1_000, 0);

    await store.close();

    expect(Object.values(store.dump()).every((entries) => entries.length === 0)).toBe(true);
    expect(await store.users.create(user("u1"))).toBe(true);
    expect(await store.users.advanceTotpStep("u1", 1)).toBe(true);
  });

  it("refuses to overwrite a session or API key with an existing id", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1"));
    await store.apiKeys.create(apiKey("k1", "u1"));

    await expect(store.sessions.create(session("s1", "u2"))).rejects.toThrow(/already exists/);
    await expect(store.apiKeys.create(apiKey("k1", "u2"))).rejects.toThrow(/already exists/);
    expectIndexesExact(store);
  });
});
