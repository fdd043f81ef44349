import type { Argon2Params, AuthConfig, AuthEvent } from "../../src/index.js";
import { createArgon2Hasher, createAuth } from "../../src/index.js";
import type { ManualClock } from "./clock.js";
import { manualClock } from "./clock.js";
import type { CountingHasher, CountingStore } from "./counting.js";
import { countingHasher, countingStore } from "./counting.js";
import type { MemoryStore } from "./store.js";
import { createTestStore } from "./store.js";

export const TEST_SECRET = "tessera-test-secret-0123456789abcdef";

/** Cheap argon2id parameters, so behaviour tests spend their time on behaviour. */
export const FAST_ARGON2: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestAuthOptions extends Omit<Partial<AuthConfig>, "store" | "clock" | "onEvent" | "secret"> {
  readonly argon2?: Argon2Params;
}

/** An engine on a fresh memory store, with an injected clock and counters on the store and argon2. */
export function setupAuth(options: TestAuthOptions = {}): {
  auth: ReturnType<typeof createAuth>;
  clock: ManualClock;
  memory: MemoryStore;
  counting: CountingStore;
  hasher: CountingHasher;
  events: AuthEvent[];
} {
  const { argon2 = FAST_ARGON2, password, ...rest } = options;
  const clock = manualClock();
  const memory = createTestStore({ now: () => clock.now() });
  const counting = countingStore(memory);
  const hasher = countingHasher(createArgon2Hasher(argon2));
  const events: AuthEvent[] = [];
  const auth = createAuth({
    secret: TEST_SECRET,
    store: counting.store,
    clock,
    onEvent: (event) => events.push(event),
    password: { hasher, ...password },
    ...rest,
  });
  return { auth, clock, memory, counting, hasher, events };
}

/** Registers `name` and logs in; returns the token and ids. */
export async function registerAndLogin(
  auth: ReturnType<typeof createAuth>,
  name = "alice",
  password = "correct horse battery staple",
): Promise<{ token: string; userId: string; sessionId: string }> {
  const registered = await auth.register({ name, password });
  if (!registered.ok) throw new Error(`register failed: ${registered.code}`);
  const login = await auth.login({ name, password });
  if (!login.ok) throw new Error(`login failed: ${login.code}`);
  return { token: login.token, userId: login.user.id, sessionId: login.session.id };
}
