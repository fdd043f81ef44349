import { AuthError, isAuthError } from "../errors.js";
import type { Store } from "./types.js";

/**
 * Wraps a store so that anything it throws becomes `AuthError("store_unavailable")` with the
 * original error as `cause`. Core never catches that error on an authentication path, so a
 * broken store can only ever fail closed (HTTP 503), never let a request through.
 */
export function guardStore(store: Store): Store {
  return {
    users: guardPart(store.users, "users"),
    sessions: guardPart(store.sessions, "sessions"),
    recoveryCodes: guardPart(store.recoveryCodes, "recoveryCodes"),
    apiKeys: guardPart(store.apiKeys, "apiKeys"),
    rateLimits: guardPart(store.rateLimits, "rateLimits"),
    health: guardMethod(store, "health", "store") as Store["health"],
  };
}

function guardPart<T extends object>(part: T, partName: string): T {
  const guarded: Record<string, unknown> = {};
  // Methods may live on a prototype (class-based adapters), so walk every method name.
  for (const name of methodNames(part)) guarded[name] = guardMethod(part, name, partName);
  return guarded as T;
}

function methodNames(object: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = object; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== "constructor" && typeof (object as Record<string, unknown>)[name] === "function") names.add(name);
    }
  }
  return [...names];
}

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

function guardMethod(target: object, name: string, partName: string): AnyMethod {
  const method = (target as Record<string, AnyMethod>)[name]!;
  return async (...args: unknown[]): Promise<unknown> => {
    try {
      return await method.apply(target, args);
    } catch (error) {
      if (isAuthError(error)) throw error;
      throw new AuthError("store_unavailable", `The session store failed (${partName}.${name})`, { cause: error });
    }
  };
}
