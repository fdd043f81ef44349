import type { Store } from "@tessera/core";
import { createMemoryStore } from "@tessera/memory";

export type StoreKind = "memory" | "postgres" | "redis";

export interface ExampleConfig {
  readonly port: number;
  /** Where to listen. Loopback by default: registration is open and cookies are not `Secure`. */
  readonly host: string;
  readonly store: StoreKind;
  /** `null`: none configured, a random one is generated for this run. */
  readonly secret: string | null;
}

/** A setting the example cannot run with; `main` prints the message and exits with status 1. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const STORE_KINDS: readonly StoreKind[] = ["memory", "postgres", "redis"];

const isStoreKind = (value: string): value is StoreKind => (STORE_KINDS as readonly string[]).includes(value);

/** Reads PORT, HOST, TESSERA_STORE and TESSERA_SECRET. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): ExampleConfig {
  // An empty variable counts as unset, as shells and container env files often leave them.
  const rawPort = env["PORT"] || "3000";
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) throw new ConfigError(`PORT must be a number from 0 to 65535, got "${rawPort}"`);
  const store = env["TESSERA_STORE"] || "memory";
  if (!isStoreKind(store)) throw new ConfigError(`TESSERA_STORE must be one of ${STORE_KINDS.join(", ")}, got "${store}"`);
  return { port, host: env["HOST"] || "127.0.0.1", store, secret: env["TESSERA_SECRET"] || null };
}

/** The store `TESSERA_STORE` names. Only the memory store exists so far. */
export function createStore(kind: StoreKind): Store {
  if (kind === "memory") return createMemoryStore();
  throw new ConfigError(`@tessera/${kind} is not available yet; use TESSERA_STORE=memory`);
}
