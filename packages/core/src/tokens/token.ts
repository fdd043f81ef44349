import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Opaque bearer tokens (DESIGN §3).
 *
 * A token is `<prefix><id><secret>`: a readable prefix (`tss_` for sessions, `tsk_` for API keys,
 * so secret scanners can match them), a 128-bit public id (22 base64url characters) that names
 * the record, and a 256-bit secret (43 base64url characters). The store keeps the id and the
 * SHA-256 digest of the secret, never the secret: a copy of the database lets nobody sign in.
 * The id is what listings show, so `GET /sessions` never carries token material.
 */
export type TokenPrefix = "tss_" | "tsk_";

export const SESSION_TOKEN_PREFIX: TokenPrefix = "tss_";
export const API_KEY_TOKEN_PREFIX: TokenPrefix = "tsk_";

const ID_BYTES = 16;
const SECRET_BYTES = 32;
const ID_LENGTH = 22;
const SECRET_LENGTH = 43;
const BODY = /^[A-Za-z0-9_-]+$/;

export interface IssuedToken {
  /** The whole token, handed to the client once and never stored. */
  readonly token: string;
  /** The public id: the store key. */
  readonly id: string;
  /** Lowercase hex SHA-256 of the secret half: what the store keeps. */
  readonly secretHash: string;
}

export interface ParsedToken {
  readonly id: string;
  readonly secret: string;
}

export function issueToken(prefix: TokenPrefix): IssuedToken {
  const id = randomBytes(ID_BYTES).toString("base64url");
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  return { token: `${prefix}${id}${secret}`, id, secretHash: hashSecret(secret) };
}

/**
 * Splits a presented token. Returns `null` for anything that is not exactly a token of this
 * kind, so malformed input is rejected before it reaches the store.
 */
export function parseToken(token: string, prefix: TokenPrefix): ParsedToken | null {
  if (token.length !== prefix.length + ID_LENGTH + SECRET_LENGTH || !token.startsWith(prefix)) return null;
  const body = token.slice(prefix.length);
  if (!BODY.test(body)) return null;
  return { id: body.slice(0, ID_LENGTH), secret: body.slice(ID_LENGTH) };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time check of a presented secret against a stored digest. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), "utf8");
  const stored = Buffer.from(storedHash, "utf8");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
