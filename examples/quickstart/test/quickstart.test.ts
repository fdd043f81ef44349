import { describe, expect, it } from "vitest";
import { runQuickstart } from "../src/quickstart.js";

describe("quickstart", () => {
  it("walks through register, login, validate, list and logout, printing each step", async () => {
    const lines: string[] = [];
    await runQuickstart((line) => lines.push(line));
    // Each line is "N. <step, padded to 24>" and then the step's detail.
    expect(lines.map((l) => l.slice(0, 27).trim())).toEqual([
      "1. register alice",
      "2. login, wrong password",
      "3. login",
      "4. validate token",
      "5. list sessions",
      "6. logout",
      "7. validate again",
    ]);
    expect(lines.join("\n")).toMatch(/refused: invalid_token/);
  });

  it("never prints a whole token", async () => {
    const lines: string[] = [];
    await runQuickstart((line) => lines.push(line));
    expect(lines.join("\n")).not.toMatch(/tss_[A-Za-z0-9_-]{20,}/);
  });
});
