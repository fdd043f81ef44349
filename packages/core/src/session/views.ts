import type { SessionRecord, UserRecord } from "../store/types.js";
import type { SessionPolicy, SessionState } from "./transition.js";
import { transition } from "./transition.js";

/** What a user is to the outside world. */
export interface PublicUser {
  readonly id: string;
  readonly name: string;
}

/** A session as the application sees it: no token material. */
export interface SessionInfo {
  /** Public id (also what `revokeSession` takes). Useless for authenticating. */
  readonly id: string;
  readonly userId: string;
  /** `false` while the session is LOCKED, waiting for a second factor. */
  readonly isUnlocked: boolean;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly lastSeenAt: number;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** The state-machine view of a stored session. */
export function stateOf(record: SessionRecord): SessionState {
  return record.state === "locked"
    ? { status: "locked", createdAt: record.createdAt, expiresAt: record.expiresAt, failedAttempts: record.failedAttempts }
    : { status: "active", createdAt: record.createdAt, expiresAt: record.expiresAt, lastSeenAt: record.lastSeenAt };
}

/** Whether a stored session is still usable at `now` (not past its absolute or idle expiry). */
export function isLive(record: SessionRecord, now: number, policy: SessionPolicy): boolean {
  const step = transition(stateOf(record), { type: "validate" }, now, policy);
  return step.ok && step.state.status !== "expired";
}

export function publicUser(user: UserRecord): PublicUser {
  return { id: user.id, name: user.name };
}

export function sessionInfo(record: SessionRecord): SessionInfo {
  return {
    id: record.id,
    userId: record.userId,
    isUnlocked: record.state === "active",
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    lastSeenAt: record.lastSeenAt,
    ip: record.ip,
    userAgent: record.userAgent,
  };
}

/** A user with a confirmed TOTP enrolment must pass a second factor. */
export function mfaEnabled(user: UserRecord): boolean {
  return user.totp !== null && user.totp.confirmedAt !== null;
}
