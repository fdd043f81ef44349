export { createAuth } from "./auth.js";
export type {
  Auth,
  ChangePasswordInput,
  ChangePasswordResult,
  ListedSession,
  LoginInput,
  LoginResult,
  LogoutResult,
  RegisterInput,
  RegisterResult,
  ValidateOptions,
  ValidateResult,
  ValidationIssue,
} from "./auth.js";
export type { SessionOrigin } from "./engine.js";
export type { AuthContext, AuthenticateOptions, AuthenticateResult, HttpApi, HttpRequest, HttpResponse, TokenTransport } from "./http/types.js";
export { redactUrl } from "./http/redact.js";
export { ERROR_MESSAGES, internalErrorResponse } from "./http/responses.js";
export type { HttpErrorCode } from "./http/responses.js";
export type {
  BeginTotpResult,
  ConfirmTotpResult,
  DisableMfaResult,
  MfaApi,
  MfaFactor,
  MfaStatus,
  RegenerateRecoveryCodesResult,
  UnlockFactor,
  UnlockResult,
} from "./mfa/service.js";
export { RECOVERY_CODE_COUNT, generateRecoveryCodes, normaliseRecoveryCode } from "./recovery/codes.js";
export type { PublicUser, SessionInfo } from "./session/views.js";
export { stateOf } from "./session/views.js";
export type { TotpParams } from "./totp/totp.js";
export { TOTP_PARAMS, hotpCode, matchTotp, totpCode, totpStep } from "./totp/totp.js";
export type { Clock } from "./clock.js";
export { systemClock } from "./clock.js";
export type { AuthConfig, HttpConfig, MfaConfig, PasswordConfig, RateLimitConfig, RateLimitRule, ResolvedConfig } from "./config.js";
export { MIN_SECRET_BYTES, resolveConfig } from "./config.js";
export type { AuthErrorCode } from "./errors.js";
export { AuthError, isAuthError } from "./errors.js";
export type { AuthEvent, AuthEventType } from "./events.js";
export { MAX_NAME_LENGTH, nameKey, normaliseName } from "./names.js";
export type { NormalisedName } from "./names.js";
export type { Argon2Params, PasswordHasher, PhcArgon2 } from "./password/hasher.js";
export { DEFAULT_ARGON2_PARAMS, createArgon2Hasher, parseArgon2Phc } from "./password/hasher.js";
export type { HashLimiter, HashLimiterOptions } from "./password/limiter.js";
export { createHashLimiter, libuvPoolSize } from "./password/limiter.js";
export type { PasswordPolicy } from "./password/policy.js";
export { checkPasswordPolicy } from "./password/policy.js";
export { clientNetwork, rateLimitKeys, retryAfterSeconds } from "./ratelimit/keys.js";
export type {
  EndReason,
  ExpiryReason,
  SessionEffect,
  SessionEvent,
  SessionPolicy,
  SessionState,
  SessionStatus,
  TransitionError,
  TransitionResult,
} from "./session/transition.js";
export { transition } from "./session/transition.js";
export type * from "./store/types.js";
export type { IssuedToken, ParsedToken, TokenPrefix } from "./tokens/token.js";
export { API_KEY_TOKEN_PREFIX, SESSION_TOKEN_PREFIX, hashSecret, issueToken, parseToken, secretMatches } from "./tokens/token.js";
