import { describe, expect, it } from "vitest";
import { createAuth } from "../src/index.js";
import { TEST_SECRET } from "./support/setup.js";
import { failingStore } from "./support/store.js";

describe("the HTTP layer's failure path", () => {
  it("still answers a JSON 503 when the configured error reporter itself throws", async () => {
    const auth = createAuth({
      secret: TEST_SECRET,
      store: failingStore(),
      http: {
        onError: () => {
          throw new Error("the logger is broken too");
        },
      },
    });
    const response = await auth.handle({ method: "GET", path: "/ping", query: "", headers: {} });
    expect(response).toMatchObject({ status: 503, body: { error: { code: "store_unavailable" } } });
    const authenticated = await auth.authenticate({ method: "GET", path: "/me", query: "", headers: { authorization: `Bearer tss_${"A".repeat(65)}` } });
    expect(authenticated).toMatchObject({ ok: false, response: { status: 503 } });
  });

  it("reports the failure behind a 5xx to http.onError, with the store's error as the cause", async () => {
    const seen: unknown[] = [];
    const auth = createAuth({ secret: TEST_SECRET, store: failingStore("connection refused"), http: { onError: (error) => seen.push(error) } });
    await auth.handle({ method: "GET", path: "/ping", query: "", headers: {} });
    await auth.handle({ method: "GET", path: "/sessions", query: "", headers: { authorization: `Bearer tss_${"A".repeat(65)}` } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ code: "store_unavailable", cause: { message: "connection refused" } });
  });
});
