import { describe, expect, it } from "vitest";
import { ConfigError, createStore, readConfig } from "../src/config.js";

describe("example configuration", () => {
  it("defaults to port 3000 on loopback, the memory store and a generated secret", () => {
    expect(readConfig({})).toEqual({ port: 3000, host: "127.0.0.1", store: "memory", secret: null });
  });

  it("reads PORT, HOST, TESSERA_STORE and TESSERA_SECRET", () => {
    const env = { PORT: "8080", HOST: "0.0.0.0", TESSERA_STORE: "memory", TESSERA_SECRET: "s".repeat(40) };
    expect(readConfig(env)).toEqual({ port: 8080, host: "0.0.0.0", store: "memory", secret: "s".repeat(40) });
  });

  it.each(["abc", "-1", "70000", "3000.5"])("refuses PORT=%s", (port) => {
    expect(() => readConfig({ PORT: port })).toThrow(ConfigError);
  });

  it("refuses an unknown store kind, naming the valid ones", () => {
    expect(() => readConfig({ TESSERA_STORE: "mongo" })).toThrow(/one of memory, postgres, redis/);
  });

  it.each(["postgres", "redis"] as const)("explains that the %s store is not available yet", (kind) => {
    expect(() => createStore(kind)).toThrow(`@tessera/${kind} is not available yet; use TESSERA_STORE=memory`);
  });
});
