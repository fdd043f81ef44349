import { describe, expect, it } from "vitest";
import type { TotpParams } from "../src/index.js";
import { TOTP_PARAMS, hotpCode, matchTotp, totpCode, totpStep } from "../src/index.js";
import { loadVectors } from "./support/vectors.js";

interface TotpVector {
  readonly time: number;
  readonly algorithm: "SHA1" | "SHA256" | "SHA512";
  readonly digits: 6 | 8;
  readonly period: number;
  readonly secretAscii: string;
  readonly code: string;
}

interface HotpVectors {
  readonly secretAscii: string;
  readonly cases: ReadonlyArray<{ readonly counter: number; readonly code: string }>;
}

const totp = loadVectors<{ cases: readonly TotpVector[] }>("totp-rfc6238.json");
const hotp = loadVectors<HotpVectors>("hotp-rfc4226.json");

describe("RFC 6238 TOTP vectors through core's TOTP code path", () => {
  it("has all 18 vectors", () => {
    expect(totp.cases).toHaveLength(18);
  });

  for (const v of totp.cases) {
    const params: TotpParams = { algorithm: v.algorithm.toLowerCase() as TotpParams["algorithm"], digits: v.digits, period: v.period };
    const secret = Buffer.from(v.secretAscii, "ascii");
    it(`${v.algorithm} at T=${v.time} gives ${v.code}`, () => {
      expect(totpCode(secret, v.time * 1000, params)).toBe(v.code);
      expect(matchTotp(secret, v.code, v.time * 1000, params)).toBe(totpStep(v.time * 1000, params));
    });
  }
});

describe("RFC 4226 HOTP vectors", () => {
  const secret = Buffer.from(hotp.secretAscii, "ascii");
  for (const v of hotp.cases) {
    it(`counter ${v.counter} gives ${v.code}`, () => {
      expect(hotpCode(secret, v.counter, TOTP_PARAMS)).toBe(v.code);
    });
  }
});

describe("the acceptance window", () => {
  const secret = Buffer.from("12345678901234567890", "ascii");
  const now = Date.UTC(2026, 5, 1, 12, 0, 15);
  const step = totpStep(now);
  const codeAt = (offset: number): string => hotpCode(secret, step + offset);

  it("accepts the current and the previous step", () => {
    expect(matchTotp(secret, codeAt(0), now)).toBe(step);
    expect(matchTotp(secret, codeAt(-1), now)).toBe(step - 1);
  });

  it("rejects a code two steps old and a code one step ahead", () => {
    expect(matchTotp(secret, codeAt(-2), now)).toBeNull();
    expect(matchTotp(secret, codeAt(1), now)).toBeNull();
  });

  it.each(["", "12345", "1234567", "abcdef", "12 456", "１２３４５６"])("rejects the malformed code %j", (code) => {
    expect(matchTotp(secret, code, now)).toBeNull();
  });
});
