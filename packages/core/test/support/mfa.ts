import { ScureBase32Plugin } from "otplib";
import { totpCode } from "../../src/index.js";
import type { TestAuthOptions } from "./setup.js";
import { registerAndLogin, setupAuth } from "./setup.js";

export const PASSWORD = "correct horse battery staple";
const base32 = new ScureBase32Plugin();

export function decodeBase32(secret: string): Uint8Array {
  return base32.decode(secret);
}

/**
 * An engine with one user who has confirmed TOTP. The clock is then moved two steps on, so both
 * the current and the previous step's codes are unused.
 */
export async function setupEnrolled(options: TestAuthOptions = {}, name = "alice") {
  const t = setupAuth(options);
  const { userId, sessionId, token } = await registerAndLogin(t.auth, name, PASSWORD);
  const begun = await t.auth.mfa.beginTotp(userId);
  if (!begun.ok) throw new Error(`beginTotp: ${begun.code}`);
  const secret = decodeBase32(begun.secret);
  const confirmed = await t.auth.mfa.confirmTotp(userId, totpCode(secret, t.clock.now()));
  if (!confirmed.ok) throw new Error(`confirmTotp: ${confirmed.code}`);
  t.clock.advance(60_000);
  const code = (offsetSteps = 0): string => totpCode(secret, t.clock.now() + offsetSteps * 30_000);
  /** Logs in with the password: a LOCKED token. */
  const lockedToken = async (): Promise<string> => {
    const login = await t.auth.login({ name, password: PASSWORD });
    if (!login.ok || login.isUnlocked) throw new Error("expected a locked login");
    return login.token;
  };
  return { ...t, userId, activeToken: token, activeSessionId: sessionId, base32Secret: begun.secret, otpauthUrl: begun.otpauthUrl, secret, recoveryCodes: confirmed.recoveryCodes, code, lockedToken };
}
