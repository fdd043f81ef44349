import { describe, expect, it } from "vitest";
import { isAuthError, normaliseRecoveryCode, totpCode } from "../src/index.js";
import { PASSWORD, decodeBase32, setupEnrolled } from "./support/mfa.js";
import { registerAndLogin, setupAuth } from "./support/setup.js";

const MIN = 60_000;

describe("TOTP enrolment", () => {
  it("hands out a 160-bit base32 secret and an otpauth URI with issuer and account", async () => {
    const { auth } = setupAuth({ mfa: { issuer: "Acme Docs" } });
    const { userId } = await registerAndLogin(auth, "Alice Smith");
    const begun = await auth.mfa.beginTotp(userId);
    if (!begun.ok) throw new Error(begun.code);
    expect(decodeBase32(begun.secret)).toHaveLength(20);
    const url = new URL(begun.otpauthUrl);
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe("/Acme Docs:Alice Smith");
    expect(url.searchParams.get("secret")).toBe(begun.secret);
    expect(url.searchParams.get("issuer")).toBe("Acme Docs");
  });

  it("keeps enrolment pending (login stays one-step) until a code confirms it", async () => {
    const { auth } = setupAuth();
    const { userId } = await registerAndLogin(auth);
    await auth.mfa.beginTotp(userId);
    expect(await auth.mfa.status(userId)).toEqual({ enabled: false, pending: true, recoveryCodesRemaining: 0 });
    expect(await auth.login({ name: "alice", password: PASSWORD })).toMatchObject({ ok: true, isUnlocked: true });
    expect(await auth.mfa.confirmTotp(userId, "000000")).toEqual({ ok: false, code: "invalid_code" });
  });

  it("confirms with a valid code and returns 10 distinct recovery codes of at least 64 bits", async () => {
    const { auth, userId, recoveryCodes } = await setupEnrolled();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) {
      expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}$/);
      expect(15 * 5).toBeGreaterThanOrEqual(64);
    }
    expect(await auth.mfa.status(userId)).toEqual({ enabled: true, pending: false, recoveryCodesRemaining: 10 });
    expect(await auth.mfa.beginTotp(userId)).toEqual({ ok: false, code: "mfa_already_enabled" });
  });

  it("refuses to confirm when no enrolment was begun", async () => {
    const { auth } = setupAuth();
    const { userId } = await registerAndLogin(auth);
    expect(await auth.mfa.confirmTotp(userId, "123456")).toEqual({ ok: false, code: "mfa_not_pending" });
  });

  it("stores neither the base32 secret nor any recovery code in clear", async () => {
    const { memory, base32Secret, secret, recoveryCodes } = await setupEnrolled();
    const dump = JSON.stringify(memory.dump());
    expect(dump).not.toContain(base32Secret);
    expect(dump).not.toContain(base32Secret.toLowerCase());
    expect(dump).not.toContain(Buffer.from(secret).toString("hex"));
    expect(dump).not.toContain(Buffer.from(secret).toString("base64url"));
    for (const code of recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(normaliseRecoveryCode(code)!);
    }
  });
});

describe("locked login and unlock", () => {
  it("gives an MFA user a LOCKED token that validate refuses for protected use", async () => {
    const { auth, lockedToken } = await setupEnrolled();
    const token = await lockedToken();
    expect(await auth.validate(token)).toMatchObject({ ok: true, session: { isUnlocked: false } });
    expect(await auth.validate(token, { requireUnlocked: true })).toEqual({ ok: false, code: "token_locked" });
  });

  it("unlocks with a TOTP code: a new ACTIVE token, and the locked one is dead", async () => {
    const { auth, lockedToken, code, events, clock } = await setupEnrolled();
    const locked = await lockedToken();
    const result = await auth.unlock(locked, { factor: "totp", code: code() });
    expect(result).toMatchObject({ ok: true, isUnlocked: true, factor: "totp", expiresAt: clock.now() + 30 * 24 * 60 * MIN });
    if (!result.ok) throw new Error("unlock");
    expect(result.token).not.toBe(locked);
    expect(await auth.validate(result.token, { requireUnlocked: true })).toMatchObject({ ok: true, session: { isUnlocked: true } });
    expect(await auth.validate(locked)).toEqual({ ok: false, code: "invalid_token" });
    expect(events.map((e) => e.type)).toContain("session.unlocked");
  });

  it("keeps the same token with rotateOnUnlock: false", async () => {
    const { auth, lockedToken, code } = await setupEnrolled({ rotateOnUnlock: false });
    const locked = await lockedToken();
    const result = await auth.unlock(locked, { factor: "totp", code: code() });
    expect(result).toMatchObject({ ok: true, token: locked });
    expect(await auth.validate(locked, { requireUnlocked: true })).toMatchObject({ ok: true });
  });

  it("answers already_unlocked for an ACTIVE token and invalid_token for garbage", async () => {
    const { auth, activeToken, code } = await setupEnrolled();
    expect(await auth.unlock(activeToken, { factor: "totp", code: code() })).toEqual({ ok: false, code: "already_unlocked" });
    expect(await auth.unlock("tss_nope", { factor: "totp", code: code() })).toEqual({ ok: false, code: "invalid_token" });
  });

  it("lets exactly one of 50 concurrent unlocks of one locked token with the same valid code win", async () => {
    const { auth, lockedToken, code, memory, userId, events } = await setupEnrolled();
    const locked = await lockedToken();
    const valid = code();
    const results = await Promise.all(Array.from({ length: 50 }, () => auth.unlock(locked, { factor: "totp", code: valid })));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const sessions = await memory.sessions.listByUser(userId);
    // The enrolment session plus exactly one unlocked session; the locked one is gone.
    expect(sessions.filter((s) => s.state === "active")).toHaveLength(2);
    expect(sessions.filter((s) => s.state === "locked")).toHaveLength(0);
    expect(events.filter((e) => e.type === "session.unlocked")).toHaveLength(1);
  });

  it("turns two concurrent unlocks of one token with two different valid codes into one session", async () => {
    const { auth, lockedToken, code, memory, userId } = await setupEnrolled();
    const locked = await lockedToken();
    const results = await Promise.all([auth.unlock(locked, { factor: "totp", code: code(-1) }), auth.unlock(locked, { factor: "totp", code: code() })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await memory.sessions.listByUser(userId)).filter((s) => s.state === "active")).toHaveLength(2); // enrolment + one
  });

  it("accepts a code for step N once: then the same code and a code for step N−1 fail", async () => {
    const { auth, lockedToken, code, events } = await setupEnrolled();
    const stepN = code();
    const stepNMinus1 = code(-1);
    expect((await auth.unlock(await lockedToken(), { factor: "totp", code: stepN })).ok).toBe(true);
    const second = await lockedToken();
    expect(await auth.unlock(second, { factor: "totp", code: stepN })).toMatchObject({ ok: false, code: "invalid_code" });
    expect(await auth.unlock(second, { factor: "totp", code: stepNMinus1 })).toMatchObject({ ok: false, code: "invalid_code" });
    expect(events.filter((e) => e.type === "mfa.code_replayed")).toHaveLength(2);
  });

  it("rejects a code two steps old and a code one step ahead", async () => {
    const { auth, lockedToken, code } = await setupEnrolled();
    const token = await lockedToken();
    expect(await auth.unlock(token, { factor: "totp", code: code(-2) })).toMatchObject({ ok: false, code: "invalid_code" });
    expect(await auth.unlock(token, { factor: "totp", code: code(1) })).toMatchObject({ ok: false, code: "invalid_code" });
    expect((await auth.unlock(token, { factor: "totp", code: code() })).ok).toBe(true);
  });

  it("counts wrong codes down and deletes the locked token at the 5th", async () => {
    const { auth, lockedToken, code } = await setupEnrolled();
    const token = await lockedToken();
    const remaining: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await auth.unlock(token, { factor: "totp", code: "000000" === code() ? "111111" : "000000" });
      remaining.push(!r.ok && r.code === "invalid_code" ? r.attemptsRemaining : r);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect(await auth.unlock(token, { factor: "totp", code: code() })).toEqual({ ok: false, code: "invalid_token" });
    expect(await auth.validate(token)).toEqual({ ok: false, code: "invalid_token" });
  });

  it("rate-limits an account after 10 failed codes in 15 minutes, whatever the token", async () => {
    const { auth, lockedToken, code, clock } = await setupEnrolled();
    const wrong = (): string => (code() === "000000" ? "111111" : "000000");
    for (let t = 0; t < 2; t++) {
      const token = await lockedToken();
      for (let i = 0; i < 5; i++) await auth.unlock(token, { factor: "totp", code: wrong() });
    }
    const fresh = await lockedToken();
    const limited = await auth.unlock(fresh, { factor: "totp", code: code() });
    expect(limited).toMatchObject({ ok: false, code: "rate_limited" });
    clock.advance(15 * MIN);
    const later = await lockedToken();
    expect((await auth.unlock(later, { factor: "totp", code: code() })).ok).toBe(true);
  });

  it("never unlocks one user's locked token with another user's TOTP or recovery code", async () => {
    const alice = await setupEnrolled();
    const { auth, clock } = alice;
    const { userId: bobId } = await registerAndLogin(auth, "bob", PASSWORD);
    const begun = await auth.mfa.beginTotp(bobId);
    if (!begun.ok) throw new Error("begin");
    const bobSecret = decodeBase32(begun.secret);
    const bobConfirm = await auth.mfa.confirmTotp(bobId, totpCode(bobSecret, clock.now()));
    if (!bobConfirm.ok) throw new Error("confirm");
    clock.advance(30_000);
    const aliceLocked = await alice.lockedToken();
    expect(await auth.unlock(aliceLocked, { factor: "totp", code: totpCode(bobSecret, clock.now()) })).toMatchObject({ ok: false, code: "invalid_code" });
    expect(await auth.unlock(aliceLocked, { factor: "recovery", code: bobConfirm.recoveryCodes[0]! })).toMatchObject({ ok: false, code: "invalid_code" });
    expect((await auth.mfa.status(bobId)).recoveryCodesRemaining).toBe(10);
  });

  it("cannot unlock a locked token after its 10 minutes", async () => {
    const { auth, lockedToken, code, clock } = await setupEnrolled();
    const token = await lockedToken();
    clock.advance(10 * MIN);
    expect(await auth.unlock(token, { factor: "totp", code: code() })).toEqual({ ok: false, code: "invalid_token" });
  });

  it("fails closed when the stored TOTP secret has been tampered with", async () => {
    const { auth, lockedToken, code, memory, userId } = await setupEnrolled();
    const user = (await memory.users.getById(userId))!;
    const sealed = user.totp!.secret;
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === "A" ? "B" : "A"}${sealed.at(-1)}`;
    await memory.users.update(userId, { totp: { ...user.totp!, secret: flipped } });
    const token = await lockedToken();
    const error = await auth.unlock(token, { factor: "totp", code: code() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAuthError(error) && error.code).toBe("secret_unreadable");
    expect(await auth.validate(token, { requireUnlocked: true })).toEqual({ ok: false, code: "token_locked" });
  });
});

describe("recovery codes", () => {
  it("unlock with a recovery code typed in any case, without dashes, and reports how many remain", async () => {
    const { auth, lockedToken, recoveryCodes, events } = await setupEnrolled();
    const typed = recoveryCodes[3]!.replaceAll("-", "").toUpperCase();
    const result = await auth.unlock(await lockedToken(), { factor: "recovery", code: ` ${typed} ` });
    expect(result).toMatchObject({ ok: true, factor: "recovery", recoveryCodesRemaining: 9 });
    expect(events.find((e) => e.type === "recovery_code.used")).toMatchObject({ remaining: 9 });
    expect(await auth.unlock(await lockedToken(), { factor: "recovery", code: recoveryCodes[3]! })).toMatchObject({ ok: false, code: "invalid_code" });
  });

  it("lets exactly one of 50 concurrent redemptions of one code succeed, and the code fails afterwards", async () => {
    const { auth, lockedToken, recoveryCodes } = await setupEnrolled({ rateLimits: { mfaPerAccount: { max: 1000, windowMs: 15 * MIN } } });
    const tokens: string[] = [];
    for (let i = 0; i < 50; i++) tokens.push(await lockedToken());
    const results = await Promise.all(tokens.map((token) => auth.unlock(token, { factor: "recovery", code: recoveryCodes[0]! })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === "invalid_code")).toHaveLength(49);
    expect(await auth.unlock(await lockedToken(), { factor: "recovery", code: recoveryCodes[0]! })).toMatchObject({ ok: false, code: "invalid_code" });
  });

  it("regenerating needs the password and kills every old code", async () => {
    const { auth, userId, lockedToken, recoveryCodes } = await setupEnrolled();
    expect(await auth.mfa.regenerateRecoveryCodes(userId, "wrong password")).toEqual({ ok: false, code: "invalid_credentials" });
    const fresh = await auth.mfa.regenerateRecoveryCodes(userId, PASSWORD);
    if (!fresh.ok) throw new Error("regenerate");
    expect(fresh.recoveryCodes).toHaveLength(10);
    for (const old of recoveryCodes.slice(0, 3)) {
      expect(await auth.unlock(await lockedToken(), { factor: "recovery", code: old })).toMatchObject({ ok: false, code: "invalid_code" });
    }
    expect((await auth.unlock(await lockedToken(), { factor: "recovery", code: fresh.recoveryCodes[0]! })).ok).toBe(true);
  });

  it("refuses to regenerate codes for a user without MFA", async () => {
    const { auth } = setupAuth();
    const { userId } = await registerAndLogin(auth);
    expect(await auth.mfa.regenerateRecoveryCodes(userId, PASSWORD)).toEqual({ ok: false, code: "mfa_not_enabled" });
  });
});

describe("disabling MFA", () => {
  it("needs the password, turns login back to one step and revokes every other session", async () => {
    const { auth, userId, activeToken, activeSessionId, lockedToken, code } = await setupEnrolled();
    const other = await auth.unlock(await lockedToken(), { factor: "totp", code: code() });
    if (!other.ok) throw new Error("unlock");
    expect(await auth.mfa.disable(userId, "wrong password")).toEqual({ ok: false, code: "invalid_credentials" });
    expect(await auth.mfa.disable(userId, PASSWORD, { keepSessionId: activeSessionId })).toEqual({ ok: true, revoked: 1 });
    expect((await auth.validate(activeToken)).ok).toBe(true);
    expect((await auth.validate(other.token)).ok).toBe(false);
    expect(await auth.login({ name: "alice", password: PASSWORD })).toMatchObject({ ok: true, isUnlocked: true, mfa: { required: false } });
    expect(await auth.mfa.status(userId)).toEqual({ enabled: false, pending: false, recoveryCodesRemaining: 0 });
  });
});

describe("MFA events", () => {
  it("never carry a secret or a code", async () => {
    const { auth, events, lockedToken, code, recoveryCodes, base32Secret, userId } = await setupEnrolled();
    const used = code();
    await auth.unlock(await lockedToken(), { factor: "totp", code: "000000" === used ? "111111" : "000000" });
    await auth.unlock(await lockedToken(), { factor: "totp", code: used });
    await auth.unlock(await lockedToken(), { factor: "recovery", code: recoveryCodes[1]! });
    await auth.mfa.disable(userId, PASSWORD);
    const types = events.map((e) => e.type);
    for (const type of ["mfa.enrollment_started", "mfa.enabled", "mfa.failed", "session.unlocked", "recovery_code.used", "mfa.disabled"]) {
      expect(types).toContain(type);
    }
    const json = JSON.stringify(events);
    // Quoted: a bare 6-digit code could occur inside a timestamp by chance.
    for (const secret of [base32Secret, `"${used}"`, ...recoveryCodes, PASSWORD]) expect(json).not.toContain(secret);
  });
});
