import { createHmac, randomBytes } from "node:crypto";

/**
 * Recovery codes: single-use emergency codes for a lost authenticator. Each is 15 base32
 * characters (75 bits), shown as `xxxxx-xxxxx-xxxxx`; input is accepted in any case, with or
 * without dashes and spaces. Only an HMAC-SHA-256 of the normalised code (keyed by a key derived
 * from `secret`, bound to the user id) is stored.
 */
export const RECOVERY_CODE_COUNT = 10;
const GROUPS = 3;
const GROUP_LENGTH = 5;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

export function generateRecoveryCodes(count: number = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    // 32 divides 256, so masking a random byte to 5 bits is uniform.
    const chars = [...randomBytes(GROUPS * GROUP_LENGTH)].map((byte) => ALPHABET[byte & 31]!);
    return Array.from({ length: GROUPS }, (_, g) => chars.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join("")).join("-");
  });
}

/** The canonical form of a typed code, or `null` if it cannot be one. */
export function normaliseRecoveryCode(input: string): string | null {
  if (input.length > 64) return null;
  const code = input.toLowerCase().replace(/[\s-]/g, "");
  return new RegExp(`^[${ALPHABET}]{${GROUPS * GROUP_LENGTH}}$`).test(code) ? code : null;
}

export function digestRecoveryCode(key: Uint8Array, userId: string, normalisedCode: string): string {
  return createHmac("sha256", key).update(`${userId}\u0000${normalisedCode}`, "utf8").digest("hex");
}
