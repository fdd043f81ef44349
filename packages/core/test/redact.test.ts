import { describe, expect, it } from "vitest";
import { redactUrl } from "../src/index.js";

describe("redactUrl", () => {
  it.each([
    ["/api/v1/me?token=tss_secret", "/api/v1/me?token=[redacted]"],
    ["/api/v1/me?a=1&token=tss_secret&b=2", "/api/v1/me?a=1&token=[redacted]&b=2"],
    ["/api/v1/login?token=a&token=b", "/api/v1/login?token=[redacted]&token=[redacted]"],
    ["/x?%74oken=tss_secret", "/x?%74oken=[redacted]"],
    ["/x?to%6Ben=tss_secret", "/x?to%6Ben=[redacted]"],
    ["/x?TOKEN=tss_secret", "/x?TOKEN=[redacted]"],
    ["/x?token", "/x?token=[redacted]"],
    ["/x?token=tss_secret#frag", "/x?token=[redacted]#frag"],
    ["/api/v1/me?x=1#&token=tss_secret", "/api/v1/me?x=1#&token=[redacted]"],
    ["/x#token=tss_secret", "/x#token=[redacted]"],
    ["http://host:3000/x?token=tss_secret", "http://host:3000/x?token=[redacted]"],
    ["/x?tokens=keep&mytoken=keep", "/x?tokens=keep&mytoken=keep"],
    ["/x?%E0%A4%A=keep", "/x?%E0%A4%A=keep"],
    ["/no/query", "/no/query"],
  ])("turns %s into %s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it("redacts every key the server itself would read as token", () => {
    const url = "/x?%74oKEN=one&t%6fken=two";
    const served = new URLSearchParams(url.split("?")[1]).getAll("token");
    expect(served).toEqual(["two"]);
    expect(redactUrl(url)).not.toContain("two");
  });
});
