import type { ApiKeyRecord, SessionRecord, UserRecord } from "@tessera/core";

// Copies name every field instead of spreading, so whatever extra properties a caller's object
// carries (a raw token attached by mistake, say) never reach the store or come back out.

export function copyUser(user: UserRecord): UserRecord {
  return {
    id: user.id,
    name: user.name,
    nameKey: user.nameKey,
    passwordHash: user.passwordHash,
    totp: user.totp === null ? null : { secret: user.totp.secret, confirmedAt: user.totp.confirmedAt },
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export function copySession(session: SessionRecord): SessionRecord {
  return {
    id: session.id,
    userId: session.userId,
    secretHash: session.secretHash,
    state: session.state,
    version: session.version,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    lastSeenAt: session.lastSeenAt,
    failedAttempts: session.failedAttempts,
    ip: session.ip,
    userAgent: session.userAgent,
  };
}

export function copyApiKey(key: ApiKeyRecord): ApiKeyRecord {
  return {
    id: key.id,
    userId: key.userId,
    secretHash: key.secretHash,
    description: key.description,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
  };
}
