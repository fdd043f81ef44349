import { describe, expect, it } from "vitest";
import { AuthError, DEFAULT_ARGON2_PARAMS, createArgon2Hasher, createHashLimiter, isAuthError, parseArgon2Phc } from "../src/index.js";
import type { Argon2Vectors } from "./support/vectors.js";
import { loadVectors } from "./support/vectors.js";

const vectors = loadVectors<Argon2Vectors>("argon2.json");
const hasher = createArgon2Hasher(DEFAULT_ARGON2_PARAMS);

describe("argon2 vectors from the reference argon2 tool", () => {
  it("has cases to check", () => {
    expect(vectors.cases.length).toBeGreaterThanOrEqual(6);
  });

  for (const vector of vectors.cases) {
    if (vector.mustFail) {
      it(`rejects: ${vector.note}`, async () => {
        expect(await hasher.verify(vector.hash, vector.password)).toBe(false);
      });
    } else {
      it(`verifies: ${vector.note}`, async () => {
        expect(await hasher.verify(vector.hash, vector.password)).toBe(true);
      });
    }
  }

  it("asks for a re-hash exactly for the hashes weaker than the policy or not argon2id", () => {
    const verdicts = vectors.cases
      .filter((v) => !v.mustFail)
      .map((v) => ({ note: v.note, rehash: hasher.needsRehash(v.hash) }));
    for (const { note, rehash } of verdicts) {
      const weak = /weaker than policy|argon2i legacy/.test(note);
      expect({ note, rehash }).toEqual({ note, rehash: weak });
    }
  });
});

describe("argon2id hashing", () => {
  it("produces an argon2id PHC string with the configured parameters", async () => {
    const phc = await hasher.hash("a long enough password");
    expect(parseArgon2Phc(phc)).toEqual({ algorithm: "argon2id", version: 19, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await hasher.verify(phc, "a long enough password")).toBe(true);
    expect(await hasher.verify(phc, "a long enough passwore")).toBe(false);
  });

  it("treats a malformed hash as a mismatch instead of throwing", async () => {
    expect(await hasher.verify("not-a-hash", "x")).toBe(false);
    expect(await hasher.verify("$argon2id$v=19$m=19456,t=2,p=1$!!$!!", "x")).toBe(false);
    expect(hasher.needsRehash("$2b$10$abcdefghijklmnopqrstuv")).toBe(true);
  });
});

describe("hash limiter", () => {
  const gate = (): { promise: Promise<void>; open: () => void } => {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    return { promise, open };
  };

  it("runs at most maxConcurrent tasks, queues up to maxQueued and refuses the rest with busy", async () => {
    const limiter = createHashLimiter({ maxConcurrent: 2, maxQueued: 3 });
    const g = gate();
    let running = 0;
    let peak = 0;
    const task = async (): Promise<string> => {
      running += 1;
      peak = Math.max(peak, running);
      await g.promise;
      running -= 1;
      return "done";
    };
    const calls = Array.from({ length: 8 }, () => limiter.run(task).then((v) => v, (e: unknown) => e));
    expect(limiter.active).toBe(2);
    expect(limiter.queued).toBe(3);
    g.open();
    const results = await Promise.all(calls);
    const done = results.filter((r) => r === "done").length;
    const busy = results.filter((r) => isAuthError(r) && r.code === "busy").length;
    expect({ done, busy, peak }).toEqual({ done: 5, busy: 3, peak: 2 });
    expect({ active: limiter.active, queued: limiter.queued }).toEqual({ active: 0, queued: 0 });
  });

  it("frees the slot when a task throws", async () => {
    const limiter = createHashLimiter({ maxConcurrent: 1, maxQueued: 0 });
    await expect(limiter.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limiter.run(() => Promise.resolve(1))).toBe(1);
  });

  it("throws a branded AuthError that is recognised without instanceof", async () => {
    const limiter = createHashLimiter({ maxConcurrent: 1, maxQueued: 0 });
    const g = gate();
    const first = limiter.run(() => g.promise);
    const error = await limiter.run(() => Promise.resolve()).catch((e: unknown) => e);
    g.open();
    await first;
    expect(error).toBeInstanceOf(AuthError);
    expect(isAuthError({ ...(error as object) })).toBe(true);
    expect(isAuthError(new Error("busy"))).toBe(false);
  });
});
