/**
 * User names are compared the way people read them: NFKC-normalised, trimmed and case-folded,
 * so "Alice", " alice" and "ＡＬＩＣＥ" are one account. The display form keeps its case.
 */
export const MAX_NAME_LENGTH = 128;

export interface NormalisedName {
  /** What the user sees. */
  readonly name: string;
  /** What uniqueness and lookup use. */
  readonly key: string;
}

// Control characters (C0, DEL, C1) and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** Normalises a name, or explains why it cannot be one. */
export function normaliseName(raw: string): NormalisedName | { readonly problem: string } {
  const name = raw.normalize("NFKC").trim();
  if (name.length === 0) return { problem: "must not be empty" };
  if (name.length > MAX_NAME_LENGTH) return { problem: `must be at most ${MAX_NAME_LENGTH} characters` };
  if (FORBIDDEN.test(name)) return { problem: "must not contain control characters" };
  return { name, key: nameKey(name) };
}

/** The lookup key of an already-normalised name. */
export function nameKey(name: string): string {
  return name.toLowerCase().normalize("NFKC");
}
