import { ensure, expectResult, show } from "../check.js";
import { countWhere, fireConcurrently } from "../concurrency.js";
import { casesOf } from "../define.js";
import { digest } from "../records.js";
import type { ConformanceCase } from "../types.js";

const recoveryCase = casesOf("recoveryCodes");

function digests(n: number): string[] {
  return Array.from({ length: n }, () => digest());
}

export const recoveryCodeCases: readonly ConformanceCase[] = [
  recoveryCase("replace then count and consume each code once", async (ctx) => {
    const { recoveryCodes } = ctx.store;
    const user = ctx.id("user");
    const codes = digests(10);
    expectResult(await recoveryCodes.count(user), 0, "recoveryCodes.count of a user without codes");
    await recoveryCodes.replace(user, codes);
    expectResult(await recoveryCodes.count(user), 10, "recoveryCodes.count after replace with 10 codes");
    const [used, ...rest] = codes as [string, ...string[]];
    expectResult(await recoveryCodes.consume(user, used), true, "recoveryCodes.consume of an unused code");
    expectResult(await recoveryCodes.count(user), 9, "recoveryCodes.count after one consume");
    expectResult(await recoveryCodes.consume(user, used), false, "recoveryCodes.consume of a code that was already used");
    expectResult(await recoveryCodes.count(user), 9, "recoveryCodes.count after consuming a used code again");
    for (const code of rest) expectResult(await recoveryCodes.consume(user, code), true, "recoveryCodes.consume of an unused code");
    expectResult(await recoveryCodes.count(user), 0, "recoveryCodes.count after every code was consumed");
  }),

  recoveryCase("consume of a wrong digest returns false and removes nothing", async (ctx) => {
    const { recoveryCodes } = ctx.store;
    const user = ctx.id("user");
    const codes = digests(3);
    await recoveryCodes.replace(user, codes);
    const [first] = codes as [string, ...string[]];
    expectResult(await recoveryCodes.consume(user, digest()), false, "recoveryCodes.consume of a digest the user does not have");
    expectResult(await recoveryCodes.consume(user, first.toUpperCase()), false, "recoveryCodes.consume of a stored digest in upper case (digests compare literally)");
    expectResult(await recoveryCodes.consume(user, ""), false, "recoveryCodes.consume of an empty digest");
    expectResult(await recoveryCodes.count(user), 3, "recoveryCodes.count after consumes of wrong digests");
    const nobody = ctx.id("nobody");
    expectResult(await recoveryCodes.consume(nobody, first), false, "recoveryCodes.consume for a user without codes");
    expectResult(await recoveryCodes.count(nobody), 0, "recoveryCodes.count of a user without codes");
  }),

  recoveryCase("replace removes every earlier code", async (ctx) => {
    const { recoveryCodes } = ctx.store;
    const user = ctx.id("user");
    const old = digests(5);
    const fresh = digests(3);
    await recoveryCodes.replace(user, old);
    await recoveryCodes.replace(user, fresh);
    expectResult(await recoveryCodes.count(user), fresh.length, "recoveryCodes.count after replacing 5 codes with 3");
    for (const code of old) expectResult(await recoveryCodes.consume(user, code), false, "recoveryCodes.consume of a code replaced by a newer set");
    const [first, ...others] = fresh as [string, ...string[]];
    expectResult(await recoveryCodes.consume(user, first), true, "recoveryCodes.consume of a code from the newest set");
    await recoveryCodes.replace(user, []);
    expectResult(await recoveryCodes.count(user), 0, "recoveryCodes.count after replace with an empty list");
    for (const code of others) expectResult(await recoveryCodes.consume(user, code), false, "recoveryCodes.consume after replace with an empty list");
  }),

  recoveryCase("50 concurrent consumes of one code: exactly one succeeds", async (ctx) => {
    const { recoveryCodes } = ctx.store;
    const user = ctx.id("user");
    const codes = digests(10);
    await recoveryCodes.replace(user, codes);
    const [target] = codes as [string, ...string[]];
    const results = await fireConcurrently("recoveryCodes.consume", 50, () => recoveryCodes.consume(user, target));
    const wins = countWhere(results, (result) => result === true);
    ensure(wins === 1, `recoveryCodes.consume: 50 concurrent consumes of one code returned true ${wins} times; exactly one must win`);
    expectResult(await recoveryCodes.count(user), 9, "recoveryCodes.count after 50 concurrent consumes of one of 10 codes");
  }),

  recoveryCase("concurrent consumes of different codes all succeed and remove each code", async (ctx) => {
    const { recoveryCodes } = ctx.store;
    const user = ctx.id("user");
    const codes = digests(10);
    await recoveryCodes.replace(user, codes);
    const results = await fireConcurrently("recoveryCodes.consume", codes.length, (index) => recoveryCodes.consume(user, codes[index]!));
    const refused = countWhere(results, (result) => result !== true);
    ensure(refused === 0, `recoveryCodes.consume: 10 concurrent consumes of 10 different codes returned something other than true ${refused} times: ${show(results)}`);
    // A read-modify-write of the whole list loses removals: consumed codes come back.
    expectResult(await recoveryCodes.count(user), 0, "recoveryCodes.count after each of 10 codes was consumed concurrently");
    for (const code of codes) expectResult(await recoveryCodes.consume(user, code), false, "recoveryCodes.consume of a code consumed concurrently before");
  }),

  recoveryCase("codes belong to one user", async (ctx) => {
    const { recoveryCodes } = ctx.store;
    const alice = ctx.id("alice");
    const bob = ctx.id("bob");
    // Digests carry no user id, so two users can hold the same one.
    const shared = digest();
    const [alicesOwn] = digests(1) as [string];
    await recoveryCodes.replace(alice, [alicesOwn, shared]);
    await recoveryCodes.replace(bob, [shared, digest()]);
    expectResult(await recoveryCodes.consume(bob, alicesOwn), false, "recoveryCodes.consume by bob of a code only alice has");
    expectResult(await recoveryCodes.count(alice), 2, "recoveryCodes.count of alice after bob tried her code");
    expectResult(await recoveryCodes.consume(alice, shared), true, "recoveryCodes.consume by alice of a code both users have");
    expectResult(await recoveryCodes.count(bob), 2, "recoveryCodes.count of bob after alice consumed a code both had");
    expectResult(await recoveryCodes.consume(bob, shared), true, "recoveryCodes.consume by bob of his copy of a code alice already used");
    await recoveryCodes.replace(alice, []);
    expectResult(await recoveryCodes.count(bob), 1, "recoveryCodes.count of bob after alice's codes were replaced");
  }),
];
