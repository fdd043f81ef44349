import type { EndReason, ExpiryReason } from "./session/transition.js";

/**
 * Every state change emits one of these to `config.onEvent`. Events carry ids, times and
 * reasons: never a password, a token, a TOTP secret or a recovery code. `sessionId` is the
 * public half of a token and cannot be used to authenticate.
 */
export type AuthEvent =
  | { readonly type: "user.registered"; readonly at: number; readonly userId: string }
  | {
      readonly type: "login.succeeded";
      readonly at: number;
      readonly userId: string;
      readonly sessionId: string;
      /** `true` when the session is LOCKED until a second factor is given. */
      readonly mfaRequired: boolean;
      readonly ip: string | null;
    }
  | {
      readonly type: "login.failed";
      readonly at: number;
      readonly reason: "invalid_credentials" | "rate_limited";
      /** `null` when no such user exists (the name is not repeated: people type passwords there). */
      readonly userId: string | null;
      readonly ip: string | null;
    }
  | {
      readonly type: "session.revoked";
      readonly at: number;
      readonly userId: string;
      /** The session ended, or `null` when several were (see `count`). */
      readonly sessionId: string | null;
      readonly reason: EndReason;
      readonly count: number;
    }
  | {
      readonly type: "session.expired";
      readonly at: number;
      readonly userId: string;
      readonly sessionId: string;
      readonly reason: ExpiryReason;
    }
  | {
      readonly type: "session.renewed";
      readonly at: number;
      readonly userId: string;
      readonly sessionId: string;
      readonly expiresAt: number;
    }
  | {
      readonly type: "password.changed";
      readonly at: number;
      readonly userId: string;
      /** Other sessions revoked by the change. */
      readonly revokedSessions: number;
    }
  | { readonly type: "password.rehashed"; readonly at: number; readonly userId: string }
  | { readonly type: "mfa.enrollment_started"; readonly at: number; readonly userId: string }
  | { readonly type: "mfa.enabled"; readonly at: number; readonly userId: string }
  | { readonly type: "mfa.disabled"; readonly at: number; readonly userId: string; readonly revokedSessions: number }
  | {
      readonly type: "mfa.failed";
      readonly at: number;
      readonly userId: string;
      /** The locked session the code was for, or `null` during enrolment. */
      readonly sessionId: string | null;
      readonly factor: "totp" | "recovery";
      readonly reason: "invalid_code" | "replayed" | "rate_limited";
      /** Wrong codes the locked session still survives; `null` when not counted per session. */
      readonly attemptsRemaining: number | null;
    }
  /** A correct TOTP code whose time step was already used: a replay or a double submit. */
  | { readonly type: "mfa.code_replayed"; readonly at: number; readonly userId: string; readonly sessionId: string | null }
  | {
      readonly type: "session.unlocked";
      readonly at: number;
      readonly userId: string;
      /** The ACTIVE session. */
      readonly sessionId: string;
      /** The LOCKED session it replaced (the same id when `rotateOnUnlock` is off). */
      readonly previousSessionId: string;
      readonly factor: "totp" | "recovery";
    }
  | { readonly type: "recovery_code.used"; readonly at: number; readonly userId: string; readonly remaining: number }
  | { readonly type: "recovery_codes.regenerated"; readonly at: number; readonly userId: string }
  | { readonly type: "password.change_failed"; readonly at: number; readonly userId: string; readonly reason: "invalid_credentials" | "rate_limited" };

export type AuthEventType = AuthEvent["type"];
