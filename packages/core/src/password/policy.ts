/** The password rules new passwords must meet (DESIGN §5: 8 to 1024 characters by default). */
export interface PasswordPolicy {
  readonly minLength: number;
  readonly maxLength: number;
}

/**
 * Why `password` is not acceptable as a new password, or `null` if it is. Length counts
 * characters (code points), so an emoji is one character. Passwords are not normalised: they
 * are hashed as the UTF-8 bytes the user typed.
 */
export function checkPasswordPolicy(password: unknown, policy: PasswordPolicy): string | null {
  if (typeof password !== "string") return "password must be a string";
  const length = [...password].length;
  if (length < policy.minLength) return `password must be at least ${policy.minLength} characters`;
  if (length > policy.maxLength) return `password must be at most ${policy.maxLength} characters`;
  return null;
}
