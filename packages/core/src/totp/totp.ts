import { timingSafeEqual } from "node:crypto";
import { ScureBase32Plugin, generateSync, generateURI } from "otplib";

/**
 * TOTP (RFC 6238) on otplib. Tessera's own codes are SHA-1, 6 digits, 30-second steps (what every
 * authenticator app supports); the other parameters exist so the RFC vectors can run through the
 * very code path that checks users' codes.
 */
export interface TotpParams {
  readonly algorithm: "sha1" | "sha256" | "sha512";
  readonly digits: 6 | 8;
  /** Seconds per step. */
  readonly period: number;
}

export const TOTP_PARAMS: TotpParams = { algorithm: "sha1", digits: 6, period: 30 };

/** 160 bits, as RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;

const base32 = new ScureBase32Plugin();

/** The time step `nowMs` falls in. */
export function totpStep(nowMs: number, params: TotpParams = TOTP_PARAMS): number {
  return Math.floor(nowMs / 1000 / params.period);
}

/** The code for one counter value (HOTP, RFC 4226); TOTP is HOTP of the time step. */
export function hotpCode(secret: Uint8Array, counter: number, params: TotpParams = TOTP_PARAMS): string {
  return generateSync({ strategy: "hotp", secret, counter, algorithm: params.algorithm, digits: params.digits });
}

/** The code for the step `nowMs` falls in. */
export function totpCode(secret: Uint8Array, nowMs: number, params: TotpParams = TOTP_PARAMS): string {
  return hotpCode(secret, totpStep(nowMs, params), params);
}

/**
 * The step a presented code belongs to, or `null`. Only the current and the previous step are
 * accepted (a code typed just before a step boundary still works; a code from the future or
 * older than one step does not). Comparison is constant-time. The caller must still claim the
 * step with the store's atomic `advanceTotpStep`, which is what makes a code single-use.
 */
export function matchTotp(secret: Uint8Array, code: string, nowMs: number, params: TotpParams = TOTP_PARAMS): number | null {
  if (code.length !== params.digits || !/^\d+$/.test(code)) return null;
  const current = totpStep(nowMs, params);
  let matched: number | null = null;
  // Both steps are always computed, so the timing does not say which one matched.
  for (const step of [current, current - 1]) {
    const expected = Buffer.from(hotpCode(secret, step, params));
    if (timingSafeEqual(expected, Buffer.from(code)) && matched === null) matched = step;
  }
  return matched;
}

export function encodeBase32(bytes: Uint8Array): string {
  return base32.encode(bytes, { padding: false });
}

/** The `otpauth://` URI authenticator apps read from a QR code. */
export function otpauthUrl(options: { issuer: string; accountName: string; secret: Uint8Array }): string {
  return generateURI({
    issuer: options.issuer,
    label: options.accountName,
    secret: encodeBase32(options.secret),
    algorithm: TOTP_PARAMS.algorithm,
    digits: TOTP_PARAMS.digits,
    period: TOTP_PARAMS.period,
  });
}
