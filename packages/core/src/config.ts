import { z } from "zod";
import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";
import { AuthError } from "./errors.js";
import type { AuthEvent } from "./events.js";
import type { PasswordHasher } from "./password/hasher.js";
import type { SessionPolicy } from "./session/transition.js";
import { DEFAULT_ARGON2_PARAMS } from "./password/hasher.js";
import { libuvPoolSize } from "./password/limiter.js";
import type { Store } from "./store/types.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

export const MIN_SECRET_BYTES = 32;

/** A fixed-window limit: at most `max` in `windowMs`. */
export interface RateLimitRule {
  readonly max: number;
  readonly windowMs: number;
}

/** What `createAuth` accepts. Everything but `secret` and `store` has a default. */
export interface AuthConfig {
  /**
   * At least 32 bytes of secret material (a string or bytes). Keys for encrypting TOTP secrets
   * and digesting recovery codes are derived from it; keep it stable and out of source control.
   */
  readonly secret: string | Uint8Array;
  /** Where users, sessions and counters live: `@tessera/memory`, `/postgres`, `/redis` or yours. */
  readonly store: Store;
  /** Lifetime of a session from login, in ms. Default 30 days. */
  readonly sessionTtl?: number;
  /** Lifetime of a locked (waiting for MFA) session, in ms. Default 10 minutes. */
  readonly lockedTtl?: number;
  /** End sessions unused for this long (ms). Default `null`: off. */
  readonly idleTimeout?: number | null;
  /** Sliding renewal at half-life. Default `false`. */
  readonly slide?: boolean;
  /** With `slide`, the longest a session can live (ms). Default 365 days; ≥ `sessionTtl`. */
  readonly maxLifetime?: number;
  /** `lastSeenAt` is written at most this often (ms). Default 1 minute. */
  readonly touchInterval?: number;
  /** Wrong codes a locked session survives before it is deleted. Default 5. */
  readonly maxUnlockAttempts?: number;
  /** Issue a new token on unlock (fixation defence). Default `true`. */
  readonly rotateOnUnlock?: boolean;
  readonly password?: PasswordConfig;
  readonly rateLimits?: RateLimitConfig;
  readonly mfa?: MfaConfig;
  readonly http?: HttpConfig;
  /** Time source. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * Receives every state change. Never given secrets. Not awaited (an async listener is fine): a
   * listener that throws, or returns a promise that rejects, is ignored.
   */
  readonly onEvent?: (event: AuthEvent) => void;
}

export interface PasswordConfig {
  /** Default 8. */
  readonly minLength?: number;
  /** Default 1024 (bounds the work an attacker can ask of argon2). */
  readonly maxLength?: number;
  /** argon2id memory in KiB. Default 19456. */
  readonly memoryCost?: number;
  /** argon2id passes. Default 2. */
  readonly timeCost?: number;
  /** argon2id lanes. Default 1. */
  readonly parallelism?: number;
  /** Hashes running at once. Default: the libuv pool size (`UV_THREADPOOL_SIZE`, else 4). */
  readonly maxConcurrent?: number;
  /** Hashes waiting for a slot before callers get `busy`. Default `4 × maxConcurrent`. */
  readonly maxQueued?: number;
  /** Replace argon2id (e.g. while migrating from another scheme). */
  readonly hasher?: PasswordHasher;
}

/** The HTTP layer (`auth.handle`, `auth.authenticate`) that `@tessera/express` and `@tessera/koa` wrap. */
export interface HttpConfig {
  /** Serve `POST /register`. Default `false`: most applications create accounts their own way. */
  readonly register?: boolean;
  /** Where tokens may come from. Each defaults to `true`. */
  readonly transports?: { readonly query?: boolean; readonly bearer?: boolean; readonly cookie?: boolean };
  readonly cookie?: {
    /** Default "tessera_session". */
    readonly name?: string;
    /** Default `true`. Turn off only for plain-HTTP local development. */
    readonly secure?: boolean;
    /** Default: none (host-only cookie). */
    readonly domain?: string;
    /** Default "/". */
    readonly path?: string;
  };
  /**
   * Origins (`https://app.example.com`) allowed to make cookie-authenticated state-changing
   * requests, besides the server's own origin. Default none.
   */
  readonly trustedOrigins?: readonly string[];
  /** Largest JSON body read, in bytes. Default 16 KiB. */
  readonly maxBodyBytes?: number;
  /**
   * Told about infrastructure failures behind 5xx responses (a broken store, a bug). Default:
   * one line on stderr with the error code and the cause's message.
   */
  readonly onError?: (error: unknown) => void;
}

export interface MfaConfig {
  /** The issuer authenticator apps show next to the account name. Default "Tessera". */
  readonly issuer?: string;
}

export interface RateLimitConfig {
  /** Failed logins per account. Default 10 per 15 minutes. */
  readonly loginPerAccount?: RateLimitRule;
  /** Failed logins per client IP. Default 100 per 15 minutes. */
  readonly loginPerIp?: RateLimitRule;
  /** Failed MFA codes per account. Default 10 per 15 minutes. */
  readonly mfaPerAccount?: RateLimitRule;
}

/** The configuration after validation and defaults. The session lifetimes are its `SessionPolicy`. */
export interface ResolvedConfig extends SessionPolicy {
  readonly secret: Buffer;
  readonly store: Store;
  readonly password: {
    readonly minLength: number;
    readonly maxLength: number;
    readonly memoryCost: number;
    readonly timeCost: number;
    readonly parallelism: number;
    readonly maxConcurrent: number;
    readonly maxQueued: number;
    readonly hasher: PasswordHasher | null;
  };
  readonly rateLimits: {
    readonly loginPerAccount: RateLimitRule;
    readonly loginPerIp: RateLimitRule;
    readonly mfaPerAccount: RateLimitRule;
  };
  readonly mfa: { readonly issuer: string };
  readonly http: {
    readonly register: boolean;
    readonly transports: { readonly query: boolean; readonly bearer: boolean; readonly cookie: boolean };
    readonly cookie: { readonly name: string; readonly secure: boolean; readonly domain: string | null; readonly path: string };
    readonly trustedOrigins: readonly string[];
    readonly maxBodyBytes: number;
    readonly onError: (error: unknown) => void;
  };
  readonly clock: Clock;
  readonly onEvent: ((event: AuthEvent) => void) | null;
}

const duration = (what: string): z.ZodNumber =>
  z
    .number({ error: `must be ${what} in milliseconds (a number)` })
    .int({ error: `must be a whole number of milliseconds` })
    .positive({ error: `must be ${what} greater than 0 ms` })
    .max(Number.MAX_SAFE_INTEGER / 4, { error: "is too large" });

const count = (min: number): z.ZodNumber =>
  z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(min, { error: `must be at least ${min}` });

// The return type is left to inference: spelled out, a zod schema type is noise.
const rule = (max: number, windowMs: number) =>
  z.strictObject({ max: count(1).default(max), windowMs: duration("a window").default(windowMs) }).prefault({});

const isFunction = (value: unknown): boolean => typeof value === "function";

const STORE_PARTS: Record<string, readonly string[]> = {
  users: ["create", "getById", "getByName", "update", "advanceTotpStep"],
  sessions: ["create", "get", "update", "delete", "listByUser", "deleteByUser", "deleteExpired", "recordFailedAttempt"],
  recoveryCodes: ["replace", "consume", "count"],
  apiKeys: ["create", "get", "delete", "listByUser", "touch"],
  rateLimits: ["hit", "peek", "reset"],
};

/** Names the first thing missing from a would-be store, or `null` when it has every method. */
function missingStoreMethod(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return "the store itself";
  const store = value as Record<string, unknown>;
  if (!isFunction(store["health"])) return "health()";
  for (const [part, methods] of Object.entries(STORE_PARTS)) {
    const object = store[part] as Record<string, unknown> | undefined;
    for (const method of methods) {
      if (typeof object !== "object" || object === null || !isFunction(object[method])) return `${part}.${method}()`;
    }
  }
  return null;
}

const secretSchema = z.union([z.string(), z.instanceof(Uint8Array)], {
  error: `is required: a string or Uint8Array of at least ${MIN_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48\`)`,
});

const schema = z
  .strictObject({
    secret: secretSchema.superRefine((value, ctx) => {
      const bytes = typeof value === "string" ? Buffer.byteLength(value, "utf8") : value.byteLength;
      if (bytes < MIN_SECRET_BYTES) {
        ctx.addIssue({
          code: "custom",
          message: `must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes} (generate one with \`openssl rand -base64 48\`)`,
        });
      }
    }),
    store: z.custom<Store>((value) => missingStoreMethod(value) === null, {
      error: (issue) => `is required and must implement the Store interface (missing ${missingStoreMethod(issue.input)})`,
    }),
    sessionTtl: duration("a lifetime").default(30 * DAY),
    lockedTtl: duration("a lifetime").default(10 * MINUTE),
    idleTimeout: duration("a timeout").nullable().default(null),
    slide: z.boolean({ error: "must be true or false" }).default(false),
    maxLifetime: duration("a lifetime").default(365 * DAY),
    touchInterval: duration("an interval").default(MINUTE),
    maxUnlockAttempts: count(1).default(5),
    rotateOnUnlock: z.boolean({ error: "must be true or false" }).default(true),
    password: z
      .strictObject({
        minLength: count(1).default(8),
        maxLength: count(1).max(4096, { error: "must be at most 4096" }).default(1024),
        memoryCost: count(1024).default(DEFAULT_ARGON2_PARAMS.memoryCost),
        timeCost: count(1).default(DEFAULT_ARGON2_PARAMS.timeCost),
        parallelism: count(1).max(255, { error: "must be at most 255" }).default(DEFAULT_ARGON2_PARAMS.parallelism),
        maxConcurrent: count(1).optional(),
        maxQueued: count(0).optional(),
        hasher: z
          .custom<PasswordHasher>(
            (v) => typeof v === "object" && v !== null && ["hash", "verify", "needsRehash"].every((m) => isFunction((v as Record<string, unknown>)[m])),
            { error: "must have hash(), verify() and needsRehash()" },
          )
          .optional(),
      })
      .prefault({}),
    rateLimits: z
      .strictObject({
        loginPerAccount: rule(10, 15 * MINUTE),
        loginPerIp: rule(100, 15 * MINUTE),
        mfaPerAccount: rule(10, 15 * MINUTE),
      })
      .prefault({}),
    mfa: z
      .strictObject({
        issuer: z
          .string({ error: "must be a string" })
          .trim()
          .min(1, { error: "must not be empty" })
          .max(64, { error: "must be at most 64 characters" })
          .refine((v) => !v.includes(":"), { error: "must not contain ':' (it separates issuer and account in otpauth URIs)" })
          .default("Tessera"),
      })
      .prefault({}),
    http: z
      .strictObject({
        register: z.boolean({ error: "must be true or false" }).default(false),
        transports: z
          .strictObject({
            query: z.boolean({ error: "must be true or false" }).default(true),
            bearer: z.boolean({ error: "must be true or false" }).default(true),
            cookie: z.boolean({ error: "must be true or false" }).default(true),
          })
          .prefault({}),
        cookie: z
          .strictObject({
            name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: "must be a valid cookie name" }).default("tessera_session"),
            secure: z.boolean({ error: "must be true or false" }).default(true),
            domain: z.string().regex(/^[A-Za-z0-9.-]+$/, { error: "must be a domain name" }).nullable().default(null),
            path: z.string().regex(/^\/[^;\s]*$/, { error: "must start with / and contain no ';' or spaces" }).default("/"),
          })
          .prefault({}),
        trustedOrigins: z
          .array(
            z.string().refine((v) => {
              try {
                return new URL(v).origin === v;
              } catch {
                return false;
              }
            }, { error: "must be origins like https://app.example.com (scheme, host, optional port; no path)" }),
          )
          .default([]),
        maxBodyBytes: count(64).max(1024 * 1024, { error: "must be at most 1 MiB" }).default(16 * 1024),
        onError: z.custom<(error: unknown) => void>(isFunction, { error: "must be a function" }).optional(),
      })
      .prefault({}),
    clock: z
      .custom<Clock>((v) => typeof v === "object" && v !== null && isFunction((v as Record<string, unknown>)["now"]), {
        error: "must be an object with a now() method",
      })
      .optional(),
    onEvent: z.custom<(event: AuthEvent) => void>(isFunction, { error: "must be a function" }).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.maxLifetime < config.sessionTtl) {
      ctx.addIssue({ code: "custom", path: ["maxLifetime"], message: `must be at least sessionTtl (${config.sessionTtl} ms)` });
    }
    if (config.password.maxLength < config.password.minLength) {
      ctx.addIssue({ code: "custom", path: ["password", "maxLength"], message: "must be at least password.minLength" });
    }
  });

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${[...issue.path, key].join(".")}: unknown option`).join("; ");
  }
  const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "config";
  return `${path}: ${issue.message}`;
}

/**
 * Validates `createAuth`'s configuration and fills in defaults. Throws `AuthError("invalid_config")`
 * naming every bad field, so a mistake surfaces at startup rather than at the first request.
 */
export function resolveConfig(input: unknown): ResolvedConfig {
  if (typeof input !== "object" || input === null) {
    throw new AuthError("invalid_config", "Invalid Tessera config: createAuth() needs a config object with at least `secret` and `store`");
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describeIssue);
    throw new AuthError("invalid_config", `Invalid Tessera config: ${problems.join("; ")}`);
  }
  const c = parsed.data;
  const maxConcurrent = c.password.maxConcurrent ?? libuvPoolSize();
  return {
    secret: typeof c.secret === "string" ? Buffer.from(c.secret, "utf8") : Buffer.from(c.secret),
    store: c.store,
    sessionTtl: c.sessionTtl,
    lockedTtl: c.lockedTtl,
    idleTimeout: c.idleTimeout,
    slide: c.slide,
    maxLifetime: c.maxLifetime,
    // lastSeenAt is how idle time is measured, so it must be written well within the timeout.
    touchInterval: c.idleTimeout === null ? c.touchInterval : Math.min(c.touchInterval, Math.floor(c.idleTimeout / 2)),
    maxUnlockAttempts: c.maxUnlockAttempts,
    rotateOnUnlock: c.rotateOnUnlock,
    password: {
      minLength: c.password.minLength,
      maxLength: c.password.maxLength,
      memoryCost: c.password.memoryCost,
      timeCost: c.password.timeCost,
      parallelism: c.password.parallelism,
      maxConcurrent,
      maxQueued: c.password.maxQueued ?? 4 * maxConcurrent,
      hasher: c.password.hasher ?? null,
    },
    rateLimits: c.rateLimits,
    mfa: c.mfa,
    http: { ...c.http, onError: c.http.onError ?? logInfrastructureError },
    clock: c.clock ?? systemClock,
    onEvent: c.onEvent ?? null,
  };
}

/** The default `http.onError`: one line, no stack, no request data. */
function logInfrastructureError(error: unknown): void {
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "internal";
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  console.error(`[tessera] ${code}${cause}`);
}
