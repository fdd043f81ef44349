import type { UserPatch, UserRecord } from "@tessera/core";
import { ensure, expectRecord, expectResult, scribble, show } from "../check.js";
import { countWhere, fireConcurrently } from "../concurrency.js";
import { casesOf } from "../define.js";
import { currentTotpStep, passwordHash, userRecord } from "../records.js";
import type { ConformanceCase } from "../types.js";

const userCase = casesOf("users");

export const userCases: readonly ConformanceCase[] = [
  userCase("create then getById and getByName return the stored record", async (ctx) => {
    const { users } = ctx.store;
    const enrolledAt = Date.now();
    const accounts = [
      userRecord(ctx, "plain"),
      userRecord(ctx, "pending", { totp: { secret: "v1.pending-ciphertext", confirmedAt: null } }),
      userRecord(ctx, "enrolled", { totp: { secret: "v1.enrolled-ciphertext", confirmedAt: enrolledAt } }),
    ];
    for (const user of accounts) {
      expectResult(await users.create(user), true, "users.create of a new user");
      expectRecord(await users.getById(user.id), user, "users.getById after create");
      expectRecord(await users.getByName(user.nameKey), user, "users.getByName after create");
    }
    const nobody = userRecord(ctx, "nobody");
    expectResult(await users.getById(nobody.id), null, "users.getById of an unknown id");
    expectResult(await users.getByName(nobody.nameKey), null, "users.getByName of an unknown nameKey");
  }),

  userCase("create refuses a taken nameKey and leaves the original untouched", async (ctx) => {
    const { users } = ctx.store;
    const original = userRecord(ctx, "original");
    const duplicate = userRecord(ctx, "duplicate", { name: original.name.toUpperCase(), nameKey: original.nameKey });
    expectResult(await users.create(original), true, "users.create of a new user");
    expectResult(await users.create(duplicate), false, "users.create with a nameKey another user already has");
    expectRecord(await users.getByName(original.nameKey), original, "users.getByName after a refused duplicate create");
    expectRecord(await users.getById(original.id), original, "users.getById of the original after a refused duplicate create");
    expectResult(await users.getById(duplicate.id), null, "users.getById of a refused duplicate (create returned false, so nothing may be stored)");
  }),

  userCase("create refuses a taken id and stores nothing", async (ctx) => {
    const { users } = ctx.store;
    const original = userRecord(ctx, "first");
    const clash = userRecord(ctx, "second", { id: original.id });
    expectResult(await users.create(original), true, "users.create of a new user");
    expectResult(await users.create(clash), false, "users.create with an id another user already has");
    expectRecord(await users.getById(original.id), original, "users.getById after a refused create with the same id");
    expectResult(await users.getByName(clash.nameKey), null, "users.getByName of the refused user (create returned false, so nothing may be stored)");
  }),

  userCase("20 concurrent creates with one nameKey: exactly one succeeds", async (ctx) => {
    const { users } = ctx.store;
    const base = userRecord(ctx, "contended");
    const contenders = Array.from({ length: 20 }, (_, index) => ({ ...base, id: ctx.id(`contender ${index}`) }));
    const results = await fireConcurrently("users.create", contenders.length, (index) => users.create(contenders[index]!));
    const wins = countWhere(results, (result) => result === true);
    ensure(wins === 1, `users.create: 20 concurrent creates with one nameKey returned true ${wins} times; exactly one must win`);
    const winner = contenders[results.indexOf(true)]!;
    expectRecord(await users.getByName(base.nameKey), winner, "users.getByName after 20 concurrent creates (must be the one that returned true)");
    for (const [index, loser] of contenders.entries()) {
      if (index === results.indexOf(true)) continue;
      expectResult(await users.getById(loser.id), null, "users.getById of a concurrent create that returned false");
    }
  }),

  userCase("update patches only the given fields", async (ctx) => {
    const { users } = ctx.store;
    const user = userRecord(ctx, "patched");
    const bystander = userRecord(ctx, "bystander");
    expectResult(await users.create(user), true, "users.create of a new user");
    expectResult(await users.create(bystander), true, "users.create of a new user");
    const patches: UserPatch[] = [
      { passwordHash: passwordHash(), updatedAt: user.updatedAt + 1 },
      { totp: { secret: "v1.pending-ciphertext", confirmedAt: null } },
      { totp: { secret: "v1.pending-ciphertext", confirmedAt: user.createdAt + 5 }, updatedAt: user.updatedAt + 2 },
      { name: user.name.toUpperCase() },
      { totp: null },
      {},
    ];
    let expected: UserRecord = user;
    for (const patch of patches) {
      expectResult(await users.update(user.id, patch), true, `users.update of an existing user with ${show(patch)}`);
      expected = { ...expected, ...patch };
      expectRecord(await users.getById(user.id), expected, `users.getById after update with ${show(patch)}`);
    }
    expectRecord(await users.getByName(user.nameKey), expected, "users.getByName after updates (nameKey never changes)");
    expectRecord(await users.getById(bystander.id), bystander, "users.getById of a user that was never updated");
  }),

  userCase("update of a missing user returns false and creates nothing", async (ctx) => {
    const { users } = ctx.store;
    const ghost = userRecord(ctx, "ghost");
    expectResult(
      await users.update(ghost.id, { passwordHash: ghost.passwordHash, updatedAt: ghost.updatedAt }),
      false,
      "users.update of a user that does not exist",
    );
    expectResult(await users.getById(ghost.id), null, "users.getById after updating a missing user (update must never create)");
  }),

  userCase("update with an expected passwordHash applies only when the stored hash matches", async (ctx) => {
    const { users } = ctx.store;
    const user = userRecord(ctx, "guarded");
    expectResult(await users.create(user), true, "users.create of a new user");
    const stale = passwordHash();
    const next = passwordHash();
    expectResult(
      await users.update(user.id, { passwordHash: next, updatedAt: user.updatedAt + 1 }, { passwordHash: stale }),
      false,
      "users.update expecting a passwordHash the user does not have",
    );
    expectRecord(await users.getById(user.id), user, "users.getById after an update whose expected passwordHash did not match (nothing may change)");
    expectResult(
      await users.update(user.id, { passwordHash: next, updatedAt: user.updatedAt + 1 }, { passwordHash: user.passwordHash }),
      true,
      "users.update expecting the stored passwordHash",
    );
    expectRecord(await users.getById(user.id), { ...user, passwordHash: next, updatedAt: user.updatedAt + 1 }, "users.getById after a matching compare-and-set update");
  }),

  userCase("20 concurrent updates expecting the same passwordHash: exactly one succeeds", async (ctx) => {
    const { users } = ctx.store;
    const user = userRecord(ctx, "contested");
    expectResult(await users.create(user), true, "users.create of a new user");
    const hashes = Array.from({ length: 20 }, () => passwordHash());
    const results = await fireConcurrently("users.update", hashes.length, (index) =>
      users.update(user.id, { passwordHash: hashes[index]!, updatedAt: user.updatedAt + 1 }, { passwordHash: user.passwordHash }),
    );
    const wins = countWhere(results, (result) => result === true);
    ensure(
      wins === 1,
      `users.update: 20 concurrent updates expecting one passwordHash returned true ${wins} times; exactly one must win (or two password changes both land)`,
    );
    const stored = await users.getById(user.id);
    ensure(
      stored !== null && stored.passwordHash === hashes[results.indexOf(true)],
      "users.update: the stored passwordHash after 20 concurrent compare-and-set updates is not the one whose update returned true",
    );
  }),

  userCase("advanceTotpStep accepts only a step greater than the last one, per user", async (ctx) => {
    const { users } = ctx.store;
    const alice = userRecord(ctx, "alice");
    const bob = userRecord(ctx, "bob");
    expectResult(await users.create(alice), true, "users.create of a new user");
    expectResult(await users.create(bob), true, "users.create of a new user");
    const step = currentTotpStep();
    let last: number | null = null;
    const attempts = [step, step, step - 1, step + 1, step, step + 3, step + 2, step + 3];
    for (const attempt of attempts) {
      const accept = last === null || attempt > last;
      expectResult(
        await users.advanceTotpStep(alice.id, attempt),
        accept,
        `users.advanceTotpStep(${attempt}) with last stored step ${last ?? "none"}`,
      );
      if (accept) last = attempt;
    }
    // Bob's steps are his own: his first step may be 0, and lower than Alice's last.
    expectResult(await users.advanceTotpStep(bob.id, 0), true, "users.advanceTotpStep(0) for a user with no stored step");
    expectResult(await users.advanceTotpStep(bob.id, 0), false, "users.advanceTotpStep(0) right after step 0 was accepted");
    expectResult(await users.advanceTotpStep(bob.id, step), true, `users.advanceTotpStep(${step}) for a user whose last step is 0 (another user's last step is ${step + 3})`);
  }),

  userCase("the last TOTP step survives users.update", async (ctx) => {
    const { users } = ctx.store;
    const user = userRecord(ctx, "rehashed");
    expectResult(await users.create(user), true, "users.create of a new user");
    const step = currentTotpStep();
    expectResult(await users.advanceTotpStep(user.id, step), true, `users.advanceTotpStep(${step}) for a user with no stored step`);
    expectResult(await users.update(user.id, { passwordHash: passwordHash(), updatedAt: user.updatedAt + 1 }), true, "users.update of an existing user");
    expectResult(
      await users.advanceTotpStep(user.id, step),
      false,
      `users.advanceTotpStep(${step}) after users.update (a password re-hash must not forget the used step, or a TOTP code can be replayed)`,
    );
  }),

  userCase("advanceTotpStep of an unknown user returns false and creates nothing", async (ctx) => {
    const { users } = ctx.store;
    const ghost = userRecord(ctx, "ghost");
    expectResult(await users.advanceTotpStep(ghost.id, currentTotpStep()), false, "users.advanceTotpStep of a user that does not exist");
    expectResult(await users.getById(ghost.id), null, "users.getById after advanceTotpStep of a missing user");
  }),

  userCase("20 concurrent advanceTotpStep calls with one step: exactly one succeeds", async (ctx) => {
    const { users } = ctx.store;
    const user = userRecord(ctx, "racer");
    expectResult(await users.create(user), true, "users.create of a new user");
    const step = currentTotpStep();
    const results = await fireConcurrently("users.advanceTotpStep", 20, () => users.advanceTotpStep(user.id, step));
    const wins = countWhere(results, (result) => result === true);
    ensure(wins === 1, `users.advanceTotpStep: 20 concurrent calls with one step returned true ${wins} times; exactly one must win (a TOTP code is accepted once)`);
    expectResult(await users.advanceTotpStep(user.id, step), false, `users.advanceTotpStep(${step}) after the concurrent calls`);
    expectResult(await users.advanceTotpStep(user.id, step + 1), true, `users.advanceTotpStep(${step + 1}) after the concurrent calls with ${step}`);
  }),

  userCase("concurrent advanceTotpStep calls never let a lower step overwrite a higher one", async (ctx) => {
    const { users } = ctx.store;
    const user = userRecord(ctx, "stepper");
    expectResult(await users.create(user), true, "users.create of a new user");
    const step = currentTotpStep();
    // Highest first: a read-then-write adapter ends with the lowest step stored.
    const steps = Array.from({ length: 20 }, (_, index) => step + 19 - index);
    const results = await fireConcurrently("users.advanceTotpStep", steps.length, (index) => users.advanceTotpStep(user.id, steps[index]!));
    ensure(results.includes(true), `users.advanceTotpStep: none of 20 concurrent calls with steps ${step}..${step + 19} returned true; the greatest must win`);
    expectResult(
      await users.advanceTotpStep(user.id, step + 19),
      false,
      `users.advanceTotpStep(${step + 19}) after concurrent calls with steps ${step}..${step + 19} (a lower step overwrote a higher one, so a used code would be accepted again)`,
    );
  }),

  userCase("returned and stored users are copies", async (ctx) => {
    const { users } = ctx.store;
    const original = userRecord(ctx, "copied", { totp: { secret: "v1.copied-ciphertext", confirmedAt: null } });
    const input = structuredClone(original);
    expectResult(await users.create(input), true, "users.create of a new user");
    scribble(input);
    expectRecord(await users.getById(original.id), original, "users.getById after the caller changed the object it passed to create (the store must copy it)");
    const byId = await users.getById(original.id);
    if (byId !== null) scribble(byId);
    expectRecord(await users.getById(original.id), original, "users.getById after the caller changed a record getById returned (reads must return copies)");
    const byName = await users.getByName(original.nameKey);
    if (byName !== null) scribble(byName);
    expectRecord(await users.getByName(original.nameKey), original, "users.getByName after the caller changed a record getByName returned (reads must return copies)");
  }),
];
