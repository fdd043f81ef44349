import type { ApiKeyRecord } from "@tessera/core";
import { ensure, expectRecord, expectRecordList, expectResult, scribble } from "../check.js";
import { countWhere, fireConcurrently } from "../concurrency.js";
import { casesOf } from "../define.js";
import { MINUTE, apiKeyRecord } from "../records.js";
import type { ConformanceCase } from "../types.js";

const apiKeyCase = casesOf("apiKeys");

export const apiKeyCases: readonly ConformanceCase[] = [
  apiKeyCase("create then get returns every field of the key unchanged", async (ctx) => {
    const { apiKeys } = ctx.store;
    const owner = ctx.id("owner");
    const fresh = apiKeyRecord(ctx, "fresh", owner);
    const used = apiKeyRecord(ctx, "used", owner, { lastUsedAt: Date.now() - 5 * MINUTE, expiresAt: Date.now() + 90 * 24 * 60 * MINUTE });
    for (const key of [fresh, used]) {
      await apiKeys.create(key);
      expectRecord(await apiKeys.get(key.id), key, "apiKeys.get after create");
    }
    expectResult(await apiKeys.get(ctx.id("never created")), null, "apiKeys.get of an id that was never created");
  }),

  apiKeyCase("listByUser returns exactly that user's keys", async (ctx) => {
    const { apiKeys } = ctx.store;
    const alice = ctx.id("alice");
    const bob = ctx.id("bob");
    const mine = [apiKeyRecord(ctx, "alice 1", alice), apiKeyRecord(ctx, "alice 2", alice), apiKeyRecord(ctx, "alice 3", alice)];
    const theirs = [apiKeyRecord(ctx, "bob 1", bob)];
    for (const key of [...mine, ...theirs]) await apiKeys.create(key);
    expectRecordList(await apiKeys.listByUser(alice), mine, "apiKeys.listByUser");
    expectRecordList(await apiKeys.listByUser(bob), theirs, "apiKeys.listByUser of a second user");
    expectRecordList(await apiKeys.listByUser(ctx.id("carol")), [], "apiKeys.listByUser of a user without keys");
  }),

  apiKeyCase("delete of a key returns true once, then false", async (ctx) => {
    const { apiKeys } = ctx.store;
    const owner = ctx.id("owner");
    const doomed = apiKeyRecord(ctx, "doomed", owner);
    const survivor = apiKeyRecord(ctx, "survivor", owner);
    await apiKeys.create(doomed);
    await apiKeys.create(survivor);
    expectResult(await apiKeys.delete(doomed.id), true, "apiKeys.delete of an existing key");
    expectResult(await apiKeys.delete(doomed.id), false, "apiKeys.delete of a key that was already deleted");
    expectResult(await apiKeys.delete(ctx.id("never created")), false, "apiKeys.delete of an id that was never created");
    expectResult(await apiKeys.get(doomed.id), null, "apiKeys.get after delete");
    expectRecordList(await apiKeys.listByUser(owner), [survivor], "apiKeys.listByUser after delete");
  }),

  apiKeyCase("20 concurrent deletes of one key: exactly one returns true", async (ctx) => {
    const { apiKeys } = ctx.store;
    const key = apiKeyRecord(ctx, "contended", ctx.id("owner"));
    await apiKeys.create(key);
    const results = await fireConcurrently("apiKeys.delete", 20, () => apiKeys.delete(key.id));
    const wins = countWhere(results, (result) => result === true);
    ensure(wins === 1, `apiKeys.delete: 20 concurrent deletes of one key returned true ${wins} times; exactly one must (only the call that removed it)`);
    expectResult(await apiKeys.get(key.id), null, "apiKeys.get after 20 concurrent deletes");
  }),

  apiKeyCase("touch sets lastUsedAt and changes nothing else", async (ctx) => {
    const { apiKeys } = ctx.store;
    const owner = ctx.id("owner");
    const key = apiKeyRecord(ctx, "touched", owner);
    const other = apiKeyRecord(ctx, "untouched", owner);
    await apiKeys.create(key);
    await apiKeys.create(other);
    const first = Date.now();
    await apiKeys.touch(key.id, first);
    expectRecord(await apiKeys.get(key.id), { ...key, lastUsedAt: first }, "apiKeys.get after touch");
    await apiKeys.touch(key.id, first + MINUTE);
    const touched: ApiKeyRecord = { ...key, lastUsedAt: first + MINUTE };
    expectRecord(await apiKeys.get(key.id), touched, "apiKeys.get after a second touch");
    expectRecord(await apiKeys.get(other.id), other, "apiKeys.get of a key that was never touched");
    expectRecordList(await apiKeys.listByUser(owner), [touched, other], "apiKeys.listByUser after touch");
  }),

  apiKeyCase("touch of a missing key creates nothing", async (ctx) => {
    const { apiKeys } = ctx.store;
    const owner = ctx.id("owner");
    const never = ctx.id("never created");
    await apiKeys.touch(never, Date.now());
    expectResult(await apiKeys.get(never), null, "apiKeys.get after touch of an id that was never created (touch must not create)");
    const deleted = apiKeyRecord(ctx, "deleted", owner);
    await apiKeys.create(deleted);
    expectResult(await apiKeys.delete(deleted.id), true, "apiKeys.delete of an existing key");
    await apiKeys.touch(deleted.id, Date.now());
    expectResult(await apiKeys.get(deleted.id), null, "apiKeys.get after touch of a deleted key (touch must not bring it back)");
    expectRecordList(await apiKeys.listByUser(owner), [], "apiKeys.listByUser after touch of a deleted key");
  }),

  apiKeyCase("returned and stored API keys are copies", async (ctx) => {
    const { apiKeys } = ctx.store;
    const owner = ctx.id("owner");
    const original = apiKeyRecord(ctx, "copied", owner);
    const input = structuredClone(original);
    await apiKeys.create(input);
    scribble(input);
    expectRecord(await apiKeys.get(original.id), original, "apiKeys.get after the caller changed the object it passed to create (the store must copy it)");
    const read = await apiKeys.get(original.id);
    if (read !== null) scribble(read);
    expectRecord(await apiKeys.get(original.id), original, "apiKeys.get after the caller changed a record get returned (reads must return copies)");
    for (const listed of await apiKeys.listByUser(owner)) scribble(listed);
    expectRecord(await apiKeys.get(original.id), original, "apiKeys.get after the caller changed records listByUser returned (reads must return copies)");
  }),
];
