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
  const length = codePoints(password);
  if (length < policy.minLength) return `password must be at least ${policy.minLength} characters`;
  if (length > policy.maxLength) return `password must be at most ${policy.maxLength} characters`;
  return null;
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * Whether a presented password is longer than `max` characters, counted as the policy counts
 * them (code points), so every password the policy accepted can be typed at login.
 */
export function exceedsLength(password: string, max: number): boolean {
  // Cheap bounds first: a code point is one or two UTF-16 units.
  if (password.length <= max) return false;
  if (password.length > 2 * max) return true;
  return codePoints(password) > max;
}

