import { describe, expect, it } from "vitest";
import { runStoreConformance } from "../src/index.js";
import type { Flaw } from "./fixtures/flawed-store.js";
import { flawedHarness } from "./fixtures/harness.js";

interface Expectation {
  /** Completes "catches …". */
  readonly behaviour: string;
  /** Exactly the cases that must fail: the flaw is caught, and nothing unrelated breaks. */
  readonly failing: readonly string[];
  /** What the failure must tell the adapter's author. */
  readonly says?: RegExp;
}

const hostile = {
  users: "user ids and name keys are taken literally, never as patterns",
  sessions: "session and user ids are taken literally by get, update, delete, listByUser and deleteByUser",
  recoveryCodes: "recovery codes are looked up by literal user id",
  apiKeys: "API key and user ids are taken literally",
  rateLimits: "rate-limit keys are taken literally",
};

// A Record over Flaw: adding a flaw to the fixture without pinning what catches it fails to compile.
const expectations: Record<Flaw, Expectation> = {
  nonAtomicCreate: {
    behaviour: "a user create that checks the name and inserts in two steps",
    failing: ["20 concurrent creates with one nameKey: exactly one succeeds"],
    says: /users\.create: 20 concurrent creates with one nameKey returned true 20 times; exactly one must win/,
  },
  createLeavesDuplicate: {
    behaviour: "a refused user create that still stores the record",
    failing: [
      "create refuses a taken nameKey and leaves the original untouched",
      "create refuses a taken id and stores nothing",
      "20 concurrent creates with one nameKey: exactly one succeeds",
    ],
  },
  updateUpserts: {
    behaviour: "a user update that creates missing users",
    failing: ["update of a missing user returns false and creates nothing", hostile.users],
    says: /users\.update of a user that does not exist returned true; expected false/,
  },
  updateClearsOmitted: {
    behaviour: "a user update that clears fields it was not given",
    failing: ["update patches only the given fields"],
    says: /totp is null, expected \{ secret: 'v1\.pending-ciphertext'/,
  },
  updateForgetsTotpStep: {
    behaviour: "a user update that forgets the last TOTP step",
    failing: ["the last TOTP step survives users.update"],
  },
  updateIgnoresExpected: {
    behaviour: "a user update that ignores its expected passwordHash",
    failing: [
      "update with an expected passwordHash applies only when the stored hash matches",
      "20 concurrent updates expecting the same passwordHash: exactly one succeeds",
    ],
    says: /users\.update expecting a passwordHash the user does not have returned true; expected false/,
  },
  nonAtomicUserCas: {
    behaviour: "a user compare-and-set that checks and writes in two steps",
    failing: ["20 concurrent updates expecting the same passwordHash: exactly one succeeds"],
    says: /returned true 20 times; exactly one must win/,
  },
  nonAtomicAdvance: {
    behaviour: "a TOTP step advance that is not atomic",
    failing: [
      "20 concurrent advanceTotpStep calls with one step: exactly one succeeds",
      "concurrent advanceTotpStep calls never let a lower step overwrite a higher one",
    ],
    says: /returned true 20 times; exactly one must win/,
  },
  advanceAcceptsEqual: {
    behaviour: "a TOTP step advance that accepts the same step twice",
    failing: [
      "advanceTotpStep accepts only a step greater than the last one, per user",
      "the last TOTP step survives users.update",
      "20 concurrent advanceTotpStep calls with one step: exactly one succeeds",
      "concurrent advanceTotpStep calls never let a lower step overwrite a higher one",
      hostile.users,
    ],
  },
  casIgnoresVersion: {
    behaviour: "a session compare-and-set that ignores the expected version",
    failing: [
      "update with a stale expected version changes nothing and returns null",
      "20 concurrent updates expecting one version: exactly one succeeds",
    ],
  },
  casIgnoresState: {
    behaviour: "a session compare-and-set that ignores the expected state",
    failing: [
      "update with a mismatching expected state changes nothing and returns null",
      "20 concurrent unlocks of one locked session: exactly one succeeds",
    ],
  },
  nonAtomicUpdate: {
    behaviour: "a session update that checks and writes in two steps",
    failing: [
      "20 concurrent updates expecting one version: exactly one succeeds",
      "20 concurrent unlocks of one locked session: exactly one succeeds",
      "update racing delete or deleteByUser never resurrects the session",
    ],
    says: /resurrected the session/,
  },
  updateResurrects: {
    behaviour: "a session update that recreates a deleted session",
    failing: [
      "update of a deleted or unknown session returns null and creates nothing",
      "update racing delete or deleteByUser never resurrects the session",
      hostile.sessions,
    ],
  },
  nonAtomicDelete: {
    behaviour: "a session delete that reports success to every concurrent caller",
    failing: ["20 concurrent deletes of one session: exactly one returns true"],
  },
  staleListing: {
    behaviour: "a session listing that returns records as they were created",
    failing: ["listByUser returns exactly that user's sessions, as currently stored"],
  },
  leakyDeleteByUser: {
    behaviour: "a deleteByUser that clears the per-user index but leaves the sessions",
    failing: [
      "update racing delete or deleteByUser never resurrects the session",
      "deleteByUser removes every other session of the user and returns the exact count",
      "deleteByUser never touches another user's sessions",
    ],
  },
  deleteByUserIgnoresExcept: {
    behaviour: "a deleteByUser that also deletes the session it must keep",
    failing: ["deleteByUser removes every other session of the user and returns the exact count"],
    says: /sessions\.deleteByUser\(user, exceptId\) of a user with 4 sessions returned 4; expected 3/,
  },
  deleteExpiredStrict: {
    behaviour: "a deleteExpired that keeps sessions expiring exactly at now",
    failing: ["deleteExpired removes sessions with expiresAt <= now and keeps the rest"],
  },
  nonAtomicFailedAttempt: {
    behaviour: "a failed-attempt counter that loses concurrent increments",
    failing: ["20 concurrent recordFailedAttempt calls return the counts 1..20, each once"],
    says: /expected each of 1\.\.20 exactly once; repeated: 1 ×20/,
  },
  nonAtomicConsume: {
    behaviour: "a recovery-code consume that is not atomic",
    failing: [
      "50 concurrent consumes of one code: exactly one succeeds",
      "concurrent consumes of different codes all succeed and remove each code",
    ],
    says: /recoveryCodes\.consume: 50 concurrent consumes of one code returned true 50 times; exactly one must win/,
  },
  replaceAppends: {
    behaviour: "a recovery-code replace that keeps the old codes",
    failing: ["replace removes every earlier code"],
  },
  codesShared: {
    behaviour: "recovery codes that any user can consume",
    failing: ["consume of a wrong digest returns false and removes nothing", "codes belong to one user", hostile.recoveryCodes],
  },
  touchCreates: {
    behaviour: "an API-key touch that creates missing keys",
    failing: ["touch of a missing key creates nothing", hostile.apiKeys],
  },
  nonAtomicHit: {
    behaviour: "a rate-limit hit that loses concurrent increments",
    failing: ["300 concurrent hits on a fresh key return the counts 1..300, each once"],
    says: /rateLimits\.hit: 300 concurrent hits on a fresh key returned 1 distinct counts; expected each of 1\.\.300 exactly once/,
  },
  windowEndsLate: {
    behaviour: "a rate-limit window that outlives its resetAt",
    failing: ["hit starts a new window once resetAt has passed"],
  },
  slidingWindow: {
    behaviour: "a rate-limit window that slides on every hit",
    failing: [
      "hit counts within a window and keeps its resetAt",
      "hit starts a new window once resetAt has passed",
      "peek reads a window without counting",
    ],
  },
  peekCounts: {
    behaviour: "a rate-limit peek that counts",
    failing: ["peek reads a window without counting", hostile.rateLimits],
  },
  sharedReferences: {
    behaviour: "records shared between the store and its callers",
    failing: ["returned and stored users are copies", "returned and stored sessions are copies", "returned and stored API keys are copies"],
    says: /the store must copy it/,
  },
  globIds: {
    behaviour: "ids read as glob patterns by bulk operations",
    failing: [hostile.sessions, hostile.recoveryCodes, hostile.apiKeys, hostile.rateLimits],
    says: /sessions\.deleteByUser\(`[^`]*user \*[^`]*`\) of a user with 1 session, next to `[^`]*user 1[^`]*` with 2 returned 3; expected 1/,
  },
  likeIds: {
    behaviour: "ids read as SQL LIKE patterns",
    failing: [hostile.users, hostile.sessions, hostile.apiKeys],
  },
  prefixScan: {
    behaviour: "ids matched by prefix in bulk operations",
    failing: [hostile.sessions, hostile.recoveryCodes, hostile.apiKeys, hostile.rateLimits],
  },
  unhealthy: {
    behaviour: "a store that reports itself unhealthy",
    failing: ["health reports ok"],
    says: /health returned \{ ok: false, reason: 'planted flaw' \}/,
  },
};

describe("the suite against planted bugs", () => {
  for (const [flaw, { behaviour, failing, says }] of Object.entries(expectations) as [Flaw, Expectation][]) {
    it(`catches ${behaviour}`, async () => {
      const report = await runStoreConformance(flawedHarness(flaw));
      const failed = report.results.filter((result) => !result.ok);
      expect(failed.map((result) => result.name).sort()).toEqual([...failing].sort());
      expect(report.failed).toBe(failing.length);
      if (says !== undefined) expect(failed.map((result) => result.error).join("\n")).toMatch(says);
    });
  }
});
