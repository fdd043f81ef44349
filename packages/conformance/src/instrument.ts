import type { Store } from "@tessera/core";
import { labelled } from "./errors.js";

/**
 * Wraps every adapter method so that an exception names the method that threw
 * ("sessions.deleteByUser threw error: syntax error at or near …") instead of surfacing as a bare
 * driver error in the middle of a case. Return values pass through untouched.
 */
export function instrumentStore(store: Store): Store {
  return {
    users: instrumentPart("users", store.users),
    sessions: instrumentPart("sessions", store.sessions),
    recoveryCodes: instrumentPart("recoveryCodes", store.recoveryCodes),
    apiKeys: instrumentPart("apiKeys", store.apiKeys),
    rateLimits: instrumentPart("rateLimits", store.rateLimits),
    health: () => labelled("health", () => store.health()),
  };
}

function instrumentPart<P extends object>(part: string, impl: P): P {
  return new Proxy(impl, {
    get(target, property, receiver): unknown {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      // `target` as `this`: adapters built from classes (private fields) keep working.
      return (...args: unknown[]) =>
        labelled(`${part}.${String(property)}`, (): unknown => Reflect.apply(value, target, args));
    },
  });
}
