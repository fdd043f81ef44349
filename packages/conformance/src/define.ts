import type { CaseContext, ConformanceCase, StorePart } from "./types.js";

/** `const userCase = casesOf("users")`: keeps each case declaration to its name and body. */
export function casesOf(part: StorePart): (name: string, run: (ctx: CaseContext) => Promise<void>) => ConformanceCase {
  return (name, run) => ({ name, part, run });
}
