import { describe, expect, it } from "vitest";
import type { AuthConfig, Store } from "../src/index.js";
import { createAuth, isAuthError, resolveConfig } from "../src/index.js";
import { createTestStore } from "./support/store.js";

const SECRET = "0123456789abcdef0123456789abcdef-test-secret";

function configError(config: unknown): string {
  try {
    createAuth(config as AuthConfig);
  } catch (error) {
    if (isAuthError(error) && error.code === "invalid_config") return error.message;
    throw error;
  }
  throw new Error("createAuth accepted the config");
}

describe("createAuth configuration", () => {
  it("fails at construction when the secret is missing", () => {
    expect(configError({ store: createTestStore() })).toMatch(/secret: is required/);
  });

  it("fails at construction when the secret is shorter than 32 bytes, saying how long it was", () => {
    expect(configError({ secret: "too-short", store: createTestStore() })).toMatch(/secret: must be at least 32 bytes, got 9/);
  });

  it("accepts a 32-byte Uint8Array secret", () => {
    expect(() => createAuth({ secret: new Uint8Array(32), store: createTestStore() })).not.toThrow();
  });

  it("names a negative lifetime", () => {
    expect(configError({ secret: SECRET, store: createTestStore(), sessionTtl: -1 })).toMatch(/sessionTtl: must be a lifetime greater than 0 ms/);
  });

  it("names an unknown option, nested ones too", () => {
    const message = configError({ secret: SECRET, store: createTestStore(), sesionTtl: 5, password: { minLen: 3 } });
    expect(message).toMatch(/sesionTtl: unknown option/);
    expect(message).toMatch(/password\.minLen: unknown option/);
  });

  it("names the store method an adapter forgot", () => {
    const store = createTestStore();
    const broken = { ...store, sessions: { ...store.sessions, deleteByUser: undefined } } as unknown as Store;
    expect(configError({ secret: SECRET, store: broken })).toMatch(/store: .*missing sessions\.deleteByUser\(\)/);
  });

  it("rejects a maxLifetime shorter than sessionTtl", () => {
    expect(configError({ secret: SECRET, store: createTestStore(), sessionTtl: 10_000, maxLifetime: 5_000 })).toMatch(/maxLifetime: must be at least sessionTtl/);
  });

  it("reports every problem at once", () => {
    const message = configError({ secret: "x", store: createTestStore(), lockedTtl: 0, slide: "yes" });
    expect(message).toMatch(/secret/);
    expect(message).toMatch(/lockedTtl/);
    expect(message).toMatch(/slide: must be true or false/);
  });

  it("fills in the documented defaults", () => {
    const c = resolveConfig({ secret: SECRET, store: createTestStore() });
    expect({
      sessionTtl: c.sessionTtl,
      lockedTtl: c.lockedTtl,
      idleTimeout: c.idleTimeout,
      slide: c.slide,
      touchInterval: c.touchInterval,
      maxUnlockAttempts: c.maxUnlockAttempts,
      rotateOnUnlock: c.rotateOnUnlock,
      argon2: [c.password.memoryCost, c.password.timeCost, c.password.parallelism],
      lengths: [c.password.minLength, c.password.maxLength],
      limits: c.rateLimits,
    }).toEqual({
      sessionTtl: 30 * 24 * 3600_000,
      lockedTtl: 10 * 60_000,
      idleTimeout: null,
      slide: false,
      touchInterval: 60_000,
      maxUnlockAttempts: 5,
      rotateOnUnlock: true,
      argon2: [19456, 2, 1],
      lengths: [8, 1024],
      limits: {
        loginPerAccount: { max: 10, windowMs: 15 * 60_000 },
        loginPerIp: { max: 100, windowMs: 15 * 60_000 },
        mfaPerAccount: { max: 10, windowMs: 15 * 60_000 },
      },
    });
  });

  it("never puts the secret in an error message", () => {
    const secret = "s3cr3t-value-that-must-not-leak!";
    expect(configError({ secret: secret.slice(0, 20), store: createTestStore() })).not.toContain(secret.slice(0, 20));
  });
});
