import type { CaseContext, ConformanceCase } from "../types.js";
import { expectRecord, expectRecordList, expectResult, show } from "../check.js";
import { apiKeyRecord, currentTotpStep, digest, HOUR, sessionRecord, userRecord } from "../records.js";

/**
 * The id `stem1` and ids that match it when read as a pattern instead of literally: glob (`*`, `?`,
 * `[0-9]`, as in Redis SCAN/KEYS), SQL LIKE (`%`, `_`) and a bare prefix (an unescaped prefix
 * scan). Each impostor must be a different id to the store: never found, never deleted, never
 * counted in place of the victim.
 */
function victimAndImpostors(ctx: CaseContext, stem: string): { victim: string; impostors: string[] } {
  const victim = ctx.id(`${stem}1`);
  const prefix = Array.from(victim).slice(0, -1).join("");
  return {
    victim,
    impostors: [ctx.id(`${stem}*`), ctx.id(`${stem}?`), ctx.id(`${stem}[0-9]`), ctx.id(`${stem}%`), ctx.id(`${stem}_`), prefix],
  };
}

export const hostileIdCases: readonly ConformanceCase[] = [
  {
    part: "users",
    name: "user ids and name keys are taken literally, never as patterns",
    async run(ctx) {
      const { users } = ctx.store;
      const ids = victimAndImpostors(ctx, "id ");
      // Name keys arrive case-folded from core.
      const names = victimAndImpostors(ctx, "name ");
      const nameKeys = { victim: names.victim.toLowerCase(), impostors: names.impostors.map((name) => name.toLowerCase()) };
      const victim = userRecord(ctx, "victim", { id: ids.victim, name: names.victim, nameKey: nameKeys.victim });
      expectResult(await users.create(victim), true, `users.create of a user with id ${show(victim.id)}`);
      expectRecord(await users.getById(victim.id), victim, "users.getById of an id with quotes, *, ?, {}, %, _, a space and unicode");
      expectRecord(await users.getByName(victim.nameKey), victim, "users.getByName of a nameKey with quotes, *, ?, {}, %, _, a space and unicode");
      const step = currentTotpStep();
      expectResult(await users.advanceTotpStep(victim.id, step), true, "users.advanceTotpStep of a user with a hostile id");
      for (const [index, id] of ids.impostors.entries()) {
        const nameKey = nameKeys.impostors[index]!;
        expectResult(await users.getById(id), null, `users.getById(${show(id)}), an id no user has, next to ${show(victim.id)}`);
        expectResult(await users.getByName(nameKey), null, `users.getByName(${show(nameKey)}), a nameKey no user has, next to ${show(victim.nameKey)}`);
        expectResult(await users.update(id, { passwordHash: "scribbled" }), false, `users.update(${show(id)}), an id no user has, next to ${show(victim.id)}`);
        expectResult(await users.advanceTotpStep(id, step + 1), false, `users.advanceTotpStep(${show(id)}), an id no user has, next to ${show(victim.id)}`);
        const lookalike = userRecord(ctx, `lookalike ${index}`, { id, name: names.impostors[index]!, nameKey });
        expectResult(await users.create(lookalike), true, `users.create of ${show(id)} / ${show(nameKey)} next to ${show(victim.id)} / ${show(victim.nameKey)} (different ids and names)`);
        expectRecord(await users.getById(id), lookalike, `users.getById(${show(id)}) after creating it`);
        expectRecord(await users.getByName(nameKey), lookalike, `users.getByName(${show(nameKey)}) after creating it`);
      }
      expectRecord(await users.getById(victim.id), victim, `users.getById(${show(victim.id)}) after working on look-alike ids`);
      expectResult(await users.advanceTotpStep(victim.id, step), false, `users.advanceTotpStep(${show(victim.id)}, ${step}) again after look-alike ids advanced`);
    },
  },
  {
    part: "sessions",
    name: "session and user ids are taken literally by get, update, delete, listByUser and deleteByUser",
    async run(ctx) {
      const { sessions } = ctx.store;
      const users = victimAndImpostors(ctx, "user ");
      const sessionIds = victimAndImpostors(ctx, "session ");
      const victims = [
        sessionRecord(ctx, "victim", users.victim, { id: sessionIds.victim }),
        sessionRecord(ctx, "victim 2", users.victim),
      ];
      for (const session of victims) await sessions.create(session);
      for (const id of sessionIds.impostors) {
        expectResult(await sessions.get(id), null, `sessions.get(${show(id)}), unknown, next to ${show(sessionIds.victim)}`);
        expectResult(await sessions.update(id, { lastSeenAt: Date.now() + HOUR }), null, `sessions.update(${show(id)}), unknown, next to ${show(sessionIds.victim)}`);
        expectResult(await sessions.recordFailedAttempt(id), null, `sessions.recordFailedAttempt(${show(id)}), unknown, next to ${show(sessionIds.victim)}`);
        expectResult(await sessions.delete(id), false, `sessions.delete(${show(id)}), unknown, next to ${show(sessionIds.victim)}`);
      }
      for (const [index, userId] of users.impostors.entries()) {
        const own = sessionRecord(ctx, `lookalike ${index}`, userId);
        await sessions.create(own);
        expectResult(await sessions.deleteByUser(userId), 1, `sessions.deleteByUser(${show(userId)}) of a user with 1 session, next to ${show(users.victim)} with ${victims.length}`);
        expectRecordList(await sessions.listByUser(users.victim), victims, `sessions.listByUser(${show(users.victim)}) after deleteByUser(${show(userId)})`);
      }
      for (const userId of users.impostors) {
        expectRecordList(await sessions.listByUser(userId), [], `sessions.listByUser(${show(userId)}), unknown, next to ${show(users.victim)}`);
      }
      for (const session of victims) {
        expectRecord(await sessions.get(session.id), session, "sessions.get of a session after look-alike ids were updated and deleted");
      }
      // exceptId is literal too: a pattern-like exceptId spares nothing.
      const except = sessionIds.impostors[0]!;
      expectResult(await sessions.deleteByUser(users.victim, except), victims.length, `sessions.deleteByUser(user, ${show(except)}) where no session has that id`);
      expectRecordList(await sessions.listByUser(users.victim), [], "sessions.listByUser after deleteByUser with a pattern-like exceptId");
    },
  },
  {
    part: "recoveryCodes",
    name: "recovery codes are looked up by literal user id",
    async run(ctx) {
      const { recoveryCodes } = ctx.store;
      const users = victimAndImpostors(ctx, "user ");
      const codes = [digest(), digest()];
      const [first] = codes as [string, string];
      await recoveryCodes.replace(users.victim, codes);
      for (const userId of users.impostors) {
        expectResult(await recoveryCodes.count(userId), 0, `recoveryCodes.count(${show(userId)}), unknown, next to ${show(users.victim)}`);
        expectResult(await recoveryCodes.consume(userId, first), false, `recoveryCodes.consume(${show(userId)}, a code of ${show(users.victim)})`);
        await recoveryCodes.replace(userId, [digest()]);
        expectResult(await recoveryCodes.count(userId), 1, `recoveryCodes.count(${show(userId)}) after replace with 1 code`);
        expectResult(await recoveryCodes.count(users.victim), codes.length, `recoveryCodes.count(${show(users.victim)}) after replace(${show(userId)}, …)`);
        await recoveryCodes.replace(userId, []);
        expectResult(await recoveryCodes.count(users.victim), codes.length, `recoveryCodes.count(${show(users.victim)}) after replace(${show(userId)}, [])`);
      }
      expectResult(await recoveryCodes.consume(users.victim, first), true, `recoveryCodes.consume(${show(users.victim)}) of its own code`);
    },
  },
  {
    part: "apiKeys",
    name: "API key and user ids are taken literally",
    async run(ctx) {
      const { apiKeys } = ctx.store;
      const users = victimAndImpostors(ctx, "user ");
      const keyIds = victimAndImpostors(ctx, "key ");
      const victim = apiKeyRecord(ctx, "victim", users.victim, { id: keyIds.victim });
      await apiKeys.create(victim);
      expectRecord(await apiKeys.get(victim.id), victim, "apiKeys.get of an id with quotes, *, ?, {}, %, _, a space and unicode");
      for (const id of keyIds.impostors) {
        expectResult(await apiKeys.get(id), null, `apiKeys.get(${show(id)}), unknown, next to ${show(victim.id)}`);
        await apiKeys.touch(id, Date.now());
        expectResult(await apiKeys.get(id), null, `apiKeys.get(${show(id)}) after touch (touch must not create)`);
        expectResult(await apiKeys.delete(id), false, `apiKeys.delete(${show(id)}), unknown, next to ${show(victim.id)}`);
      }
      for (const userId of users.impostors) {
        expectRecordList(await apiKeys.listByUser(userId), [], `apiKeys.listByUser(${show(userId)}), unknown, next to ${show(users.victim)}`);
      }
      expectRecord(await apiKeys.get(victim.id), victim, "apiKeys.get after look-alike ids were touched and deleted (lastUsedAt must still be null)");
      expectRecordList(await apiKeys.listByUser(users.victim), [victim], `apiKeys.listByUser(${show(users.victim)})`);
    },
  },
  {
    part: "rateLimits",
    name: "rate-limit keys are taken literally",
    async run(ctx) {
      const { rateLimits } = ctx.store;
      const keys = victimAndImpostors(ctx, "key ");
      const t0 = Date.now();
      const window = { count: 3, resetAt: t0 + HOUR };
      for (let hit = 0; hit < window.count; hit += 1) await rateLimits.hit(keys.victim, HOUR, t0);
      for (const key of keys.impostors) {
        expectResult(await rateLimits.peek(key, t0), null, `rateLimits.peek(${show(key)}), a key never hit, next to ${show(keys.victim)}`);
        await rateLimits.reset(key);
        expectRecord(await rateLimits.peek(keys.victim, t0), window, `rateLimits.peek(${show(keys.victim)}) after reset(${show(key)})`);
        expectRecord(await rateLimits.hit(key, HOUR, t0), { count: 1, resetAt: t0 + HOUR }, `rateLimits.hit(${show(key)}) next to ${show(keys.victim)}`);
      }
      expectRecord(await rateLimits.peek(keys.victim, t0), window, `rateLimits.peek(${show(keys.victim)}) after look-alike keys were hit and reset`);
    },
  },
];
