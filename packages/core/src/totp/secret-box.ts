import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AuthError } from "../errors.js";

/**
 * TOTP secrets at rest: AES-256-GCM under a key derived from the configured `secret`, with the
 * user id as associated data, so a ciphertext copied onto another user's row does not decrypt.
 * Format: `v1.<base64url(iv ‖ ciphertext ‖ tag)>`.
 */
const VERSION = "v1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;

const aad = (userId: string): Buffer => Buffer.from(`tessera/totp/v1:${userId}`, "utf8");

export function sealTotpSecret(key: Uint8Array, userId: string, secret: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(userId));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  return VERSION + Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64url");
}

/**
 * Decrypts a stored TOTP secret. A tampered, truncated or foreign ciphertext (or a changed
 * `secret` configuration) throws `AuthError("secret_unreadable")`: nothing is unlocked with it.
 */
export function openTotpSecret(key: Uint8Array, userId: string, sealed: string): Uint8Array {
  try {
    if (!sealed.startsWith(VERSION)) throw new Error("unknown format");
    const bytes = Buffer.from(sealed.slice(VERSION.length), "base64url");
    if (bytes.length <= IV_BYTES + TAG_BYTES) throw new Error("too short");
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad(userId));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch (cause) {
    throw new AuthError("secret_unreadable", "The stored TOTP secret failed authentication (tampered, or the configured secret changed)", { cause });
  }
}
