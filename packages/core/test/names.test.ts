import { describe, expect, it } from "vitest";
import { normaliseName } from "../src/index.js";

describe("user names", () => {
  it("trims, NFKC-normalises and case-folds the key but keeps the display case", () => {
    expect(normaliseName("  Alice ")).toEqual({ name: "Alice", key: "alice" });
    expect(normaliseName("ＡＬＩＣＥ")).toEqual({ name: "ALICE", key: "alice" });
  });

  it("gives one key for the composed and decomposed forms of a name", () => {
    const composed = normaliseName("Zoë");
    const decomposed = normaliseName("Zoe\u0308");
    expect("key" in composed && "key" in decomposed && composed.key === decomposed.key).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["control character", "al\u0000ice"],
    ["newline", "ali\nce"],
    ["too long", "a".repeat(129)],
  ])("refuses a name that is %s", (_why, name) => {
    expect(normaliseName(name)).toHaveProperty("problem");
  });
});
