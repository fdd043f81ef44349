import type { SessionRecord, UserRecord } from "@tessera/core";
import { describe, expect, it } from "vitest";
import { apiKey, createTestStore, session, user } from "./records.js";

// Records are typed readonly, but nothing stops JavaScript from writing to them; these tests
// write through casts to prove the store never shares an object with its caller.
type Writable<T> = { -readonly [K in keyof T]: T[K] };

describe("records are copies", () => {
  it("keeps a user unchanged when the caller mutates what it passed to create", async () => {
    const store = createTestStore();
    const totp = { secret: "ciphertext", confirmedAt: null as number | null };
    const input: Writable<UserRecord> = user("u1", { totp });
    await store.users.create(input);

    input.passwordHash = "changed";
    totp.confirmedAt = 123;

    expect(await store.users.getById("u1")).toEqual(user("u1", { totp: { secret: "ciphertext", confirmedAt: null } }));
  });

  it("keeps a user unchanged when the caller mutates a returned one, nested TOTP included", async () => {
    const store = createTestStore();
    await store.users.create(user("u1", { totp: { secret: "ciphertext", confirmedAt: 5 } }));

    const read = (await store.users.getByName("name u1")) as Writable<UserRecord>;
    read.name = "Mallory";
    (read.totp as Writable<NonNullable<UserRecord["totp"]>>).secret = "stolen";

    expect(await store.users.getById("u1")).toEqual(user("u1", { totp: { secret: "ciphertext", confirmedAt: 5 } }));
  });

  it("keeps a session unchanged when the caller mutates what get, update or listByUser returned", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1"));

    ((await store.sessions.get("s1")) as Writable<SessionRecord>).state = "locked";
    ((await store.sessions.update("s1", { lastSeenAt: 2_000 })) as Writable<SessionRecord>).version = 99;
    ((await store.sessions.listByUser("u1"))[0] as Writable<SessionRecord>).userId = "u2";

    expect(await store.sessions.get("s1")).toEqual(session("s1", "u1", { lastSeenAt: 2_000, version: 1 }));
  });

  it("keeps a session unchanged when the caller mutates what it passed to create", async () => {
    const store = createTestStore();
    const input: Writable<SessionRecord> = session("s1", "u1");
    await store.sessions.create(input);

    input.expiresAt = 0;

    expect(await store.sessions.get("s1")).toEqual(session("s1", "u1"));
  });

  it("keeps an API key unchanged when the caller mutates a returned one", async () => {
    const store = createTestStore();
    await store.apiKeys.create(apiKey("k1", "u1"));

    const read = (await store.apiKeys.get("k1")) as { description: string };
    read.description = "changed";

    expect(await store.apiKeys.get("k1")).toEqual(apiKey("k1", "u1"));
  });

  it("keeps recovery codes unchanged when the caller mutates the list it passed in", async () => {
    const store = createTestStore();
    const digests = ["d1", "d2"];
    await store.recoveryCodes.replace("u1", digests);

    digests.push("d3");
    digests.length = 0;

    expect(await store.recoveryCodes.count("u1")).toBe(2);
  });

  it("keeps everything unchanged when the caller mutates a dump", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1"));

    const dump = store.dump();
    (dump.sessions[0] as Writable<SessionRecord>).secretHash = "changed";
    dump.sessionIdsByUser[0]!.sessionIds.push("ghost");

    expect(store.dump().sessions).toEqual([session("s1", "u1")]);
    expect(store.dump().sessionIdsByUser).toEqual([{ userId: "u1", sessionIds: ["s1"] }]);
  });

  it("stores only the contract's fields, dropping anything extra the caller attached", async () => {
    const store = createTestStore();
    const withToken = { ...session("s1", "u1"), token: "tss_raw-secret-that-must-not-be-stored" };
    await store.sessions.create(withToken);

    expect(JSON.stringify(store.dump())).not.toContain("tss_raw-secret");
    expect(await store.sessions.get("s1")).toEqual(session("s1", "u1"));
  });
});

describe("updates", () => {
  it("increments the version on every successful update and on every failed attempt", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1", { state: "locked" }));

    expect(await store.sessions.update("s1", { lastSeenAt: 2_000 })).toMatchObject({ version: 1 });
    expect(await store.sessions.recordFailedAttempt("s1")).toBe(1);
    expect(await store.sessions.get("s1")).toMatchObject({ version: 2, failedAttempts: 1 });
  });

  it("changes nothing when the expected version or state does not match", async () => {
    const store = createTestStore();
    await store.sessions.create(session("s1", "u1", { state: "locked", version: 3 }));

    expect(await store.sessions.update("s1", { state: "active" }, { version: 2 })).toBeNull();
    expect(await store.sessions.update("s1", { state: "active" }, { version: 3, state: "active" })).toBeNull();
    expect(await store.sessions.get("s1")).toEqual(session("s1", "u1", { state: "locked", version: 3 }));
  });

  it("changes nothing when the expected password hash is stale", async () => {
    const store = createTestStore();
    await store.users.create(user("u1", { passwordHash: "current" }));

    expect(await store.users.update("u1", { passwordHash: "rehashed" }, { passwordHash: "stale" })).toBe(false);
    expect(await store.users.getById("u1")).toEqual(user("u1", { passwordHash: "current" }));
    expect(await store.users.update("u1", { passwordHash: "rehashed" }, { passwordHash: "current" })).toBe(true);
  });

  it("never lets a user update change the id, name key or creation time", async () => {
    const store = createTestStore();
    await store.users.create(user("u1"));
    const sneaky = { name: "Renamed", updatedAt: 2_000, id: "u2", nameKey: "other", createdAt: 0 };

    expect(await store.users.update("u1", sneaky)).toBe(true);

    expect(await store.users.getById("u1")).toEqual(user("u1", { name: "Renamed", updatedAt: 2_000 }));
    expect(await store.users.getByName("other")).toBeNull();
    expect(await store.users.getById("u2")).toBeNull();
  });

  it("creates nothing when updating a user, session or API key that does not exist", async () => {
    const store = createTestStore();

    expect(await store.users.update("ghost", { name: "x" })).toBe(false);
    expect(await store.sessions.update("ghost", { lastSeenAt: 1 })).toBeNull();
    expect(await store.sessions.recordFailedAttempt("ghost")).toBeNull();
    await store.apiKeys.touch("ghost", 1);

    const dump = store.dump();
    expect([dump.users, dump.sessions, dump.apiKeys]).toEqual([[], [], []]);
  });
});
