/**
 * Rate-limit keys. They live in the shared Store, so every instance counts together. Account
 * keys use the normalised name key, so unknown names are limited exactly like real ones and
 * the limiter reveals nothing about which accounts exist.
 */
export const rateLimitKeys = {
  loginAccount: (nameKey: string): string => `login:account:${nameKey}`,
  loginIp: (ip: string): string => `login:ip:${ip}`,
  mfaAccount: (userId: string): string => `mfa:account:${userId}`,
} as const;

/** Whole seconds until `resetAt`, at least 1: what `Retry-After` carries. */
export function retryAfterSeconds(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}
