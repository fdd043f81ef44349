import type { SessionPatch, SessionRecord } from "@tessera/core";
import { ensure, expectEachCountOnce, expectRecord, expectRecordList, expectResult, scribble, show } from "../check.js";
import { countWhere, fireConcurrently, settleAll } from "../concurrency.js";
import { casesOf } from "../define.js";
import { HOUR, MINUTE, sessionRecord } from "../records.js";
import type { ConformanceCase } from "../types.js";

const sessionCase = casesOf("sessions");

export const sessionCases: readonly ConformanceCase[] = [
  sessionCase("create then get returns every field unchanged", async (ctx) => {
    const { sessions } = ctx.store;
    const owner = ctx.id("owner");
    const locked = sessionRecord(ctx, "locked", owner, { state: "locked", failedAttempts: 2, ip: null, userAgent: null });
    const active = sessionRecord(ctx, "active", owner, {
      version: 7,
      lastSeenAt: Date.now() - 5 * MINUTE,
      ip: "2001:db8::1",
      userAgent: `Mozilla/5.0 ${ctx.id("agent")}`,
    });
    for (const session of [locked, active]) {
      await sessions.create(session);
      expectRecord(await sessions.get(session.id), session, `sessions.get after create (${session.state} session)`);
    }
  }),

  sessionCase("get of an unknown id returns null", async (ctx) => {
    expectResult(await ctx.store.sessions.get(ctx.id("never created")), null, "sessions.get of an id that was never created");
  }),

  sessionCase("update applies the patch and increments version by exactly one", async (ctx) => {
    const { sessions } = ctx.store;
    const session = sessionRecord(ctx, "updated", ctx.id("owner"), { state: "locked", version: 3 });
    await sessions.create(session);
    const unlock: SessionPatch = { state: "active", expiresAt: session.expiresAt + HOUR, lastSeenAt: session.lastSeenAt + MINUTE };
    const unlocked: SessionRecord = { ...session, ...unlock, version: session.version + 1 };
    expectRecord(await sessions.update(session.id, unlock), unlocked, `sessions.update with ${show(unlock)} and no expectation`);
    expectRecord(await sessions.get(session.id), unlocked, "sessions.get after update");
    const touch: SessionPatch = { lastSeenAt: unlocked.lastSeenAt + MINUTE };
    const touched: SessionRecord = { ...unlocked, ...touch, version: unlocked.version + 1 };
    expectRecord(
      await sessions.update(session.id, touch, { version: unlocked.version, state: "active" }),
      touched,
      "sessions.update with a matching expectation { version, state }",
    );
    expectRecord(await sessions.get(session.id), touched, "sessions.get after a second update");
  }),

  sessionCase("update with a stale expected version changes nothing and returns null", async (ctx) => {
    const { sessions } = ctx.store;
    const session = sessionRecord(ctx, "versioned", ctx.id("owner"));
    await sessions.create(session);
    const current: SessionRecord = { ...session, lastSeenAt: session.lastSeenAt + MINUTE, version: session.version + 1 };
    expectRecord(await sessions.update(session.id, { lastSeenAt: current.lastSeenAt }), current, "sessions.update without expectation");
    for (const version of [session.version, current.version + 1]) {
      expectResult(
        await sessions.update(session.id, { lastSeenAt: current.lastSeenAt + HOUR }, { version }),
        null,
        `sessions.update expecting version ${version} while the stored version is ${current.version}`,
      );
    }
    expectRecord(await sessions.get(session.id), current, "sessions.get after updates with a stale version (nothing may change)");
  }),

  sessionCase("update with a mismatching expected state changes nothing and returns null", async (ctx) => {
    const { sessions } = ctx.store;
    const session = sessionRecord(ctx, "locked", ctx.id("owner"), { state: "locked" });
    await sessions.create(session);
    expectResult(
      await sessions.update(session.id, { state: "active" }, { state: "active" }),
      null,
      "sessions.update expecting state \"active\" on a locked session",
    );
    expectRecord(await sessions.get(session.id), session, "sessions.get after an update with a mismatching state (nothing may change)");
    const unlocked: SessionRecord = { ...session, state: "active", version: session.version + 1 };
    expectRecord(
      await sessions.update(session.id, { state: "active" }, { state: "locked" }),
      unlocked,
      "sessions.update expecting state \"locked\" on a locked session",
    );
  }),

  sessionCase("20 concurrent updates expecting one version: exactly one succeeds", async (ctx) => {
    const { sessions } = ctx.store;
    const session = sessionRecord(ctx, "contended", ctx.id("owner"));
    await sessions.create(session);
    const results = await fireConcurrently("sessions.update", 20, (index) =>
      sessions.update(session.id, { lastSeenAt: session.lastSeenAt + index + 1 }, { version: session.version }),
    );
    const wins = countWhere(results, (result) => result !== null);
    ensure(wins === 1, `sessions.update: 20 concurrent updates expecting version ${session.version} returned a record ${wins} times; exactly one must win (compare-and-set)`);
    const winner = results.findIndex((result) => result !== null);
    const expected: SessionRecord = { ...session, lastSeenAt: session.lastSeenAt + winner + 1, version: session.version + 1 };
    expectRecord(await sessions.get(session.id), expected, "sessions.get after 20 concurrent compare-and-set updates (must hold the winner's patch and version + 1)");
  }),

  sessionCase("20 concurrent unlocks of one locked session: exactly one succeeds", async (ctx) => {
    const { sessions } = ctx.store;
    const session = sessionRecord(ctx, "unlocking", ctx.id("owner"), { state: "locked" });
    await sessions.create(session);
    const results = await fireConcurrently("sessions.update", 20, (index) =>
      sessions.update(session.id, { state: "active", expiresAt: session.expiresAt + index + 1 }, { state: "locked" }),
    );
    const wins = countWhere(results, (result) => result !== null);
    ensure(wins === 1, `sessions.update: 20 concurrent unlocks (expecting state "locked") returned a record ${wins} times; exactly one must win`);
    const winner = results.findIndex((result) => result !== null);
    const expected: SessionRecord = { ...session, state: "active", expiresAt: session.expiresAt + winner + 1, version: session.version + 1 };
    expectRecord(await sessions.get(session.id), expected, "sessions.get after 20 concurrent unlocks (must hold the winner's patch and version + 1)");
  }),

  sessionCase("update of a deleted or unknown session returns null and creates nothing", async (ctx) => {
    const { sessions } = ctx.store;
    const owner = ctx.id("owner");
    const never = ctx.id("never created");
    expectResult(await sessions.update(never, { lastSeenAt: Date.now() }), null, "sessions.update of an id that was never created");
    expectResult(await sessions.get(never), null, "sessions.get after updating an id that was never created (update must never create)");
    const session = sessionRecord(ctx, "deleted", owner);
    await sessions.create(session);
    expectResult(await sessions.delete(session.id), true, "sessions.delete of an existing session");
    expectResult(await sessions.update(session.id, { lastSeenAt: session.lastSeenAt + MINUTE }), null, "sessions.update of a deleted session");
    expectResult(
      await sessions.update(session.id, { state: "active" }, { version: session.version, state: session.state }),
      null,
      "sessions.update of a deleted session with its last known version and state",
    );
    expectResult(await sessions.get(session.id), null, "sessions.get after updating a deleted session (the session came back)");
    expectRecordList(await sessions.listByUser(owner), [], "sessions.listByUser after updating a deleted session");
  }),

  sessionCase("update racing delete or deleteByUser never resurrects the session", async (ctx) => {
    const { sessions } = ctx.store;
    const owner = ctx.id("owner");
    const rounds = 20;
    for (let round = 0; round < rounds; round += 1) {
      const session = sessionRecord(ctx, `raced ${round}`, owner);
      await sessions.create(session);
      const byUser = round % 2 === 1;
      const remove = byUser ? (): Promise<unknown> => sessions.deleteByUser(owner) : (): Promise<unknown> => sessions.delete(session.id);
      const update = (): Promise<unknown> => sessions.update(session.id, { lastSeenAt: session.lastSeenAt + MINUTE });
      // An update before and after the delete: one catches read-then-write, the other upserts.
      await settleAll("sessions.update racing a delete", [update, remove, update]);
      const after = await sessions.get(session.id);
      ensure(after === null,
        `sessions.update racing sessions.${byUser ? "deleteByUser" : "delete"} resurrected the session (round ${round + 1} of ${rounds}): get returned ${show(after)}; an update must never create a record`,
      );
    }
    expectRecordList(await sessions.listByUser(owner), [], "sessions.listByUser after every raced session was deleted");
  }),

  sessionCase("delete returns true once, then false", async (ctx) => {
    const { sessions } = ctx.store;
    const owner = ctx.id("owner");
    const session = sessionRecord(ctx, "doomed", owner);
    const survivor = sessionRecord(ctx, "survivor", owner);
    await sessions.create(session);
    await sessions.create(survivor);
    expectResult(await sessions.delete(session.id), true, "sessions.delete of an existing session");
    expectResult(await sessions.delete(session.id), false, "sessions.delete of a session that was already deleted");
    expectResult(await sessions.delete(ctx.id("never created")), false, "sessions.delete of an id that was never created");
    expectResult(await sessions.get(session.id), null, "sessions.get after delete");
    expectRecord(await sessions.get(survivor.id), survivor, "sessions.get of another session of the same user after delete");
    expectRecordList(await sessions.listByUser(owner), [survivor], "sessions.listByUser after delete");
  }),

  sessionCase("20 concurrent deletes of one session: exactly one returns true", async (ctx) => {
    const { sessions } = ctx.store;
    const session = sessionRecord(ctx, "contended", ctx.id("owner"));
    await sessions.create(session);
    const results = await fireConcurrently("sessions.delete", 20, () => sessions.delete(session.id));
    const wins = countWhere(results, (result) => result === true);
    ensure(wins === 1, `sessions.delete: 20 concurrent deletes of one session returned true ${wins} times; exactly one must (only the call that removed it)`);
    expectResult(await sessions.get(session.id), null, "sessions.get after 20 concurrent deletes");
  }),

  sessionCase("listByUser returns exactly that user's sessions, as currently stored", async (ctx) => {
    const { sessions } = ctx.store;
    const alice = ctx.id("alice");
    const bob = ctx.id("bob");
    const mine = [
      sessionRecord(ctx, "alice 1", alice, { state: "locked" }),
      sessionRecord(ctx, "alice 2", alice),
      sessionRecord(ctx, "alice 3", alice, { ip: null }),
    ];
    const theirs = [sessionRecord(ctx, "bob 1", bob), sessionRecord(ctx, "bob 2", bob)];
    for (const session of [...mine, ...theirs]) await sessions.create(session);
    expectRecordList(await sessions.listByUser(alice), mine, "sessions.listByUser");
    expectRecordList(await sessions.listByUser(bob), theirs, "sessions.listByUser of a second user");
    expectRecordList(await sessions.listByUser(ctx.id("carol")), [], "sessions.listByUser of a user without sessions");
    const [first, second, third] = mine as [SessionRecord, SessionRecord, SessionRecord];
    const unlocked: SessionRecord = { ...first, state: "active", version: first.version + 1 };
    expectRecord(await sessions.update(first.id, { state: "active" }), unlocked, "sessions.update without expectation");
    expectResult(await sessions.delete(third.id), true, "sessions.delete of an existing session");
    expectRecordList(
      await sessions.listByUser(alice),
      [unlocked, second],
      "sessions.listByUser after an update and a delete (it must list current records, not copies from creation)",
    );
  }),

  sessionCase("deleteByUser removes every other session of the user and returns the exact count", async (ctx) => {
    const { sessions } = ctx.store;
    const alice = ctx.id("alice");
    const mine = Array.from({ length: 4 }, (_, index) => sessionRecord(ctx, `alice ${index}`, alice));
    for (const session of mine) await sessions.create(session);
    const [kept, ...others] = mine as [SessionRecord, ...SessionRecord[]];
    expectResult(await sessions.deleteByUser(alice, kept.id), others.length, "sessions.deleteByUser(user, exceptId) of a user with 4 sessions");
    for (const removed of others) expectResult(await sessions.get(removed.id), null, "sessions.get of a session deleteByUser removed");
    expectRecord(await sessions.get(kept.id), kept, "sessions.get of the session deleteByUser was told to keep");
    expectRecordList(await sessions.listByUser(alice), [kept], "sessions.listByUser after deleteByUser(user, exceptId)");
    expectResult(await sessions.deleteByUser(alice), 1, "sessions.deleteByUser(user) of a user with 1 session left");
    expectResult(await sessions.get(kept.id), null, "sessions.get after deleteByUser(user) without exceptId");
    expectRecordList(await sessions.listByUser(alice), [], "sessions.listByUser after deleteByUser(user)");
    expectResult(await sessions.deleteByUser(alice), 0, "sessions.deleteByUser of a user with no sessions left");
  }),

  sessionCase("deleteByUser never touches another user's sessions", async (ctx) => {
    const { sessions } = ctx.store;
    const alice = ctx.id("alice");
    const bob = ctx.id("bob");
    const mine = [sessionRecord(ctx, "alice 1", alice), sessionRecord(ctx, "alice 2", alice)];
    const theirs = [sessionRecord(ctx, "bob 1", bob), sessionRecord(ctx, "bob 2", bob)];
    for (const session of [...mine, ...theirs]) await sessions.create(session);
    const [bobsFirst] = theirs as [SessionRecord, SessionRecord];
    // exceptId names Bob's session: it spares nothing of Alice's and must not reach Bob.
    expectResult(await sessions.deleteByUser(alice, bobsFirst.id), mine.length, "sessions.deleteByUser(alice, exceptId of one of bob's sessions)");
    for (const session of mine) expectResult(await sessions.get(session.id), null, "sessions.get of a session deleteByUser removed");
    expectRecordList(await sessions.listByUser(alice), [], "sessions.listByUser(alice) after deleteByUser(alice)");
    for (const session of theirs) expectRecord(await sessions.get(session.id), session, "sessions.get of another user's session after deleteByUser");
    expectRecordList(await sessions.listByUser(bob), theirs, "sessions.listByUser of another user after deleteByUser");
  }),

  sessionCase("deleteExpired removes sessions with expiresAt <= now and keeps the rest", async (ctx) => {
    const { sessions } = ctx.store;
    const owner = ctx.id("owner");
    const now = Date.now();
    const expired = [
      { session: sessionRecord(ctx, "expires in 1h", owner, { expiresAt: now + HOUR }), when: "1h before the sweep time" },
      { session: sessionRecord(ctx, "expires at the sweep", owner, { expiresAt: now + 2 * HOUR }), when: "exactly at the sweep time" },
    ];
    const alive = sessionRecord(ctx, "expires in 3h", owner, { expiresAt: now + 3 * HOUR });
    for (const session of [...expired.map((entry) => entry.session), alive]) await sessions.create(session);
    const removed = await sessions.deleteExpired(now + 2 * HOUR);
    // At least, not exactly: a store shared with other runs may hold their expired sessions too.
    ensure(
      typeof removed === "number" && removed >= expired.length,
      `sessions.deleteExpired(t) returned ${show(removed)}; this case alone stored ${expired.length} sessions with expiresAt <= t`,
    );
    for (const { session, when } of expired) {
      expectResult(await sessions.get(session.id), null, `sessions.get after deleteExpired of a session that expires ${when} (expiresAt <= now is expired)`);
    }
    expectRecord(await sessions.get(alive.id), alive, "sessions.get of a session expiring after the sweep time");
    expectRecordList(await sessions.listByUser(owner), [alive], "sessions.listByUser after deleteExpired");
  }),

  sessionCase("recordFailedAttempt counts up and increments version; null for a missing session", async (ctx) => {
    const { sessions } = ctx.store;
    const session = sessionRecord(ctx, "guessed", ctx.id("owner"), { state: "locked", version: 2 });
    await sessions.create(session);
    for (const attempt of [1, 2]) {
      expectResult(await sessions.recordFailedAttempt(session.id), attempt, `sessions.recordFailedAttempt number ${attempt}`);
      expectRecord(
        await sessions.get(session.id),
        { ...session, failedAttempts: attempt, version: session.version + attempt },
        `sessions.get after ${attempt} recordFailedAttempt call(s) (failedAttempts and version both + 1 each time)`,
      );
    }
    const never = ctx.id("never created");
    expectResult(await sessions.recordFailedAttempt(never), null, "sessions.recordFailedAttempt of an id that was never created");
    expectResult(await sessions.get(never), null, "sessions.get after recordFailedAttempt of a missing session (it must not create one)");
  }),

  sessionCase("20 concurrent recordFailedAttempt calls return the counts 1..20, each once", async (ctx) => {
    const { sessions } = ctx.store;
    const session = sessionRecord(ctx, "brute forced", ctx.id("owner"), { state: "locked" });
    await sessions.create(session);
    const counts = await fireConcurrently("sessions.recordFailedAttempt", 20, () => sessions.recordFailedAttempt(session.id));
    expectEachCountOnce(counts, 20, "sessions.recordFailedAttempt: 20 concurrent calls on one session");
    expectRecord(
      await sessions.get(session.id),
      { ...session, failedAttempts: 20, version: session.version + 20 },
      "sessions.get after 20 concurrent recordFailedAttempt calls",
    );
  }),

  sessionCase("returned and stored sessions are copies", async (ctx) => {
    const { sessions } = ctx.store;
    const owner = ctx.id("owner");
    const original = sessionRecord(ctx, "copied", owner);
    const input = structuredClone(original);
    await sessions.create(input);
    scribble(input);
    expectRecord(await sessions.get(original.id), original, "sessions.get after the caller changed the object it passed to create (the store must copy it)");
    const read = await sessions.get(original.id);
    if (read !== null) scribble(read);
    expectRecord(await sessions.get(original.id), original, "sessions.get after the caller changed a record get returned (reads must return copies)");
    for (const listed of await sessions.listByUser(owner)) scribble(listed);
    expectRecord(await sessions.get(original.id), original, "sessions.get after the caller changed records listByUser returned (reads must return copies)");
    const updated: SessionRecord = { ...original, lastSeenAt: original.lastSeenAt + MINUTE, version: original.version + 1 };
    const returned = await sessions.update(original.id, { lastSeenAt: updated.lastSeenAt });
    if (returned !== null) scribble(returned);
    expectRecord(await sessions.get(original.id), updated, "sessions.get after the caller changed the record update returned (it must be a copy)");
  }),
];
