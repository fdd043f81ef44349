import { hkdfSync } from "node:crypto";

/**
 * Purpose-bound keys derived from the configured `secret` with HKDF-SHA-256, so one secret feeds
 * TOTP encryption and recovery-code digests without the two uses ever sharing a key.
 */
export type KeyPurpose = "totp-encryption" | "recovery-codes";

export function deriveKey(secret: Uint8Array, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), `tessera/v1/${purpose}`, 32));
}
