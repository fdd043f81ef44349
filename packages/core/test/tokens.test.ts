import { describe, expect, it } from "vitest";
import { API_KEY_TOKEN_PREFIX, SESSION_TOKEN_PREFIX, hashSecret, issueToken, parseToken, secretMatches } from "../src/index.js";

describe("tokens", () => {
  it("issues session tokens with the tss_ prefix and at least 256 bits of secret", () => {
    const { token, id, secretHash } = issueToken(SESSION_TOKEN_PREFIX);
    expect(token).toMatch(/^tss_[A-Za-z0-9_-]{65}$/);
    const parsed = parseToken(token, SESSION_TOKEN_PREFIX)!;
    expect(parsed.id).toBe(id);
    expect(Buffer.from(parsed.secret, "base64url").length * 8).toBeGreaterThanOrEqual(256);
    expect(secretHash).toBe(hashSecret(parsed.secret));
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("issues API tokens with the tsk_ prefix, not accepted as session tokens", () => {
    const { token } = issueToken(API_KEY_TOKEN_PREFIX);
    expect(token.startsWith("tsk_")).toBe(true);
    expect(parseToken(token, SESSION_TOKEN_PREFIX)).toBeNull();
  });

  it("never issues the same token twice", () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => issueToken(SESSION_TOKEN_PREFIX).token));
    expect(tokens.size).toBe(1000);
  });

  it.each([
    ["empty", ""],
    ["prefix only", "tss_"],
    ["one character short", issueToken(SESSION_TOKEN_PREFIX).token.slice(0, -1)],
    ["one character long", `${issueToken(SESSION_TOKEN_PREFIX).token}A`],
    ["bad character", `tss_${"A".repeat(64)}!`],
    ["control character", `tss_${"A".repeat(64)}\n`],
    ["10 kB", `tss_${"A".repeat(10_000)}`],
    ["wrong prefix", `tsx_${"A".repeat(65)}`],
  ])("rejects a malformed token (%s)", (_name, token) => {
    expect(parseToken(token, SESSION_TOKEN_PREFIX)).toBeNull();
  });

  it("matches a secret against its digest and nothing else", () => {
    const { token, secretHash } = issueToken(SESSION_TOKEN_PREFIX);
    const { secret } = parseToken(token, SESSION_TOKEN_PREFIX)!;
    expect(secretMatches(secret, secretHash)).toBe(true);
    expect(secretMatches(`${secret.slice(0, -1)}A` === secret ? `${secret.slice(0, -1)}B` : `${secret.slice(0, -1)}A`, secretHash)).toBe(false);
    expect(secretMatches(secret, "short")).toBe(false);
  });
});
