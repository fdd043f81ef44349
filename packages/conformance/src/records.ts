import { randomBytes } from "node:crypto";
import type { ApiKeyRecord, SessionRecord, UserRecord } from "@tessera/core";
import type { CaseContext } from "./types.js";

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Sessions live 30 days (core's default): far beyond the 2-hour horizon of the deleteExpired case,
 * so that case never sweeps away the records of a case running next to it on a shared store.
 */
export const SESSION_TTL = 30 * DAY;

/** Lowercase hex, like the SHA-256 and HMAC digests core hands to stores. */
export function digest(): string {
  return randomBytes(32).toString("hex");
}

export function passwordHash(): string {
  const salt = randomBytes(16).toString("base64").replace(/=+$/, "");
  const hash = randomBytes(32).toString("base64").replace(/=+$/, "");
  return `$argon2id$v=19$m=19456,t=2,p=1$${salt}$${hash}`;
}

/** The TOTP step of the real clock: what core would pass to `advanceTotpStep` right now. */
export function currentTotpStep(): number {
  return Math.floor(Date.now() / (30 * SECOND));
}

/** `nameKey` is the case-folded `name`, as core computes it before calling the store. */
export function userRecord(ctx: CaseContext, label: string, overrides: Partial<UserRecord> = {}): UserRecord {
  const now = Date.now();
  const name = ctx.id(`User ${label}`);
  return {
    id: ctx.id(`user ${label}`),
    name,
    nameKey: name.toLowerCase(),
    passwordHash: passwordHash(),
    totp: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function sessionRecord(
  ctx: CaseContext,
  label: string,
  userId: string,
  overrides: Partial<SessionRecord> = {},
): SessionRecord {
  const now = Date.now();
  return {
    id: ctx.id(`session ${label}`),
    userId,
    secretHash: digest(),
    state: "active",
    version: 0,
    createdAt: now,
    expiresAt: now + SESSION_TTL,
    lastSeenAt: now,
    failedAttempts: 0,
    ip: "203.0.113.7",
    userAgent: "tessera-conformance/1.0",
    ...overrides,
  };
}

export function apiKeyRecord(
  ctx: CaseContext,
  label: string,
  userId: string,
  overrides: Partial<ApiKeyRecord> = {},
): ApiKeyRecord {
  const now = Date.now();
  return {
    id: ctx.id(`key ${label}`),
    userId,
    secretHash: digest(),
    description: `Deploy key — ${ctx.id(label)}`,
    createdAt: now,
    expiresAt: now + 3650 * DAY,
    lastUsedAt: null,
    ...overrides,
  };
}
