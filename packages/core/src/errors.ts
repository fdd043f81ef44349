/**
 * Errors. Expected outcomes (wrong password, unknown token, rate limit) are results, not
 * exceptions; `AuthError` is thrown only for programming and infrastructure problems.
 */

/** Every code an `AuthError` can carry. */
export type AuthErrorCode =
  /** `createAuth` was given a bad configuration. */
  | "invalid_config"
  /** The store threw or is unreachable. Tessera failed closed: nobody was authenticated. */
  | "store_unavailable"
  /** Too many password hashes are running or queued; retry shortly. */
  | "busy"
  /** A stored TOTP secret failed to decrypt (tampered, or `secret` changed). Nothing was unlocked. */
  | "secret_unreadable"
  /** A bug: an impossible state was reached. */
  | "internal";

// Recognised by a brand rather than `instanceof`, so two copies of @tessera/core in one
// dependency tree (a common bundling accident) still agree on what an AuthError is.
const BRAND = Symbol.for("@tessera/core/AuthError");

export class AuthError extends Error {
  readonly code: AuthErrorCode;
  readonly [BRAND] = true;

  constructor(code: AuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AuthError";
    this.code = code;
  }
}

/** True for any AuthError, including one from another copy of this package. */
export function isAuthError(value: unknown): value is AuthError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
