import { randomBytes } from "node:crypto";
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Auth, AuthConfig, Store } from "@tessera/core";
import { createAuth, redactUrl } from "@tessera/core";
import type { TesseraState } from "@tessera/koa";
import { router } from "@tessera/koa";
import { createMemoryStore } from "@tessera/memory";
import Koa from "koa";

export const PREFIX = "/api/v1";

export type StoreName = "memory" | "postgres" | "redis";

export interface AppOptions {
  /** Which store backs the sessions. Default "memory". */
  readonly store?: StoreName;
  /** At least 32 bytes. Default: a random one, so sessions die with the process. */
  readonly secret?: string;
  /** Where request-log lines go. Default `console.log`. */
  readonly log?: (line: string) => void;
  /** Passed to core, e.g. cheaper argon2 parameters in tests. */
  readonly password?: AuthConfig["password"];
}

export interface ExampleApp {
  readonly app: Koa<TesseraState>;
  readonly auth: Auth;
  /** True when no secret was given and a random one is in use. */
  readonly secretGenerated: boolean;
}

/** Thrown for a configuration the example cannot run with; `main` prints its message and exits. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

/** Reads `TESSERA_STORE`, `TESSERA_SECRET`, `PORT` and `HOST`. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): AppOptions & { readonly port: number; readonly host: string } {
  const store = env["TESSERA_STORE"] || "memory";
  if (store !== "memory" && store !== "postgres" && store !== "redis") {
    throw new StartupError(`Unknown TESSERA_STORE "${store}"; use memory, postgres or redis`);
  }
  const port = Number(env["PORT"] || "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartupError(`PORT must be a port number (got "${env["PORT"]}")`);
  const secret = env["TESSERA_SECRET"];
  // Loopback by default: registration is open and the cookie is not Secure in this demo.
  const host = env["HOST"] || "127.0.0.1";
  return { store, port, host, ...(secret ? { secret } : {}) };
}

function createStore(name: StoreName): Store {
  if (name === "memory") return createMemoryStore();
  // Listed already so the variable's values are stable once the packages ship.
  throw new StartupError(`@tessera/${name} is not available yet; use TESSERA_STORE=memory`);
}

/** The whole server, not yet listening: Tessera under /api/v1 and one protected route. */
export function createApp(options: AppOptions = {}): ExampleApp {
  const log = options.log ?? console.log;
  const secretGenerated = options.secret === undefined;
  const auth = createAuth({
    secret: options.secret ?? randomBytes(32).toString("base64url"),
    store: createStore(options.store ?? "memory"),
    // Registration is off by default in Tessera; this demo lets anyone sign up. `secure: false`
    // because it serves plain HTTP on localhost: never in production.
    http: { register: true, cookie: { secure: false } },
    ...(options.password ? { password: options.password } : {}),
  });

  const app = new Koa<TesseraState>();
  const tessera = router(auth, { prefix: PREFIX });
  const signedIn = tessera.requireAuth();

  app.use(async (ctx, next) => {
    const started = performance.now();
    await next();
    // redactUrl: a ?token=… in the URL is a live credential and must never reach the logs.
    log(`${ctx.method} ${redactUrl(ctx.url)} ${ctx.status} ${Math.round(performance.now() - started)}ms`);
  });
  app.use(tessera);
  app.use(async (ctx, next) => {
    if (ctx.method !== "GET" || ctx.path !== `${PREFIX}/me`) return next();
    await signedIn(ctx, async () => {
      ctx.body = { user: ctx.state.auth.user, session: ctx.state.auth.session };
    });
  });
  // An API answers in JSON to the end, instead of Koa's text/plain "Not Found".
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { error: { code: "not_found", message: "Not found" } };
  });

  return { app, auth, secretGenerated };
}

export interface RunningApp extends ExampleApp {
  readonly server: Server;
  readonly port: number;
  /** The Tessera base URL: "http://localhost:3000/api/v1". */
  readonly url: string;
  readonly demo: { readonly name: string; readonly password: string };
  /** Stops accepting connections and resolves once open requests have finished. */
  close(): Promise<void>;
}

/** Creates the app, registers the demo account and listens on `port` (0: any free port). */
export async function startApp(options: AppOptions & { readonly port?: number; readonly host?: string } = {}): Promise<RunningApp> {
  const example = createApp(options);
  const demo = { name: "demo", password: randomBytes(12).toString("base64url") };
  const registered = await example.auth.register(demo);
  if (!registered.ok) throw new StartupError(`could not create the demo account (${registered.code})`);

  const server = example.app.listen(options.port ?? 3000, options.host ?? "127.0.0.1");
  try {
    await once(server, "listening");
  } catch (error) {
    throw new StartupError(`cannot listen on port ${options.port ?? 3000}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { port } = server.address() as AddressInfo;
  return {
    ...example,
    server,
    port,
    url: `http://localhost:${port}${PREFIX}`,
    demo,
    close: () => closeGracefully(server),
  };
}

const SHUTDOWN_GRACE_MS = 10_000;

function closeGracefully(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Idle keep-alive connections would hold close() open; busy ones get a grace period.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  });
}

/** What `main` prints once the server is up. */
export function banner(running: RunningApp): string {
  const { url, demo } = running;
  const login = JSON.stringify({ name: demo.name, password: demo.password });
  return [
    `Tessera example (Koa) on ${url} — demo account: ${demo.name} / ${demo.password}`,
    ...(running.secretGenerated ? ["TESSERA_SECRET is not set: using a random secret, so sessions will not survive a restart."] : []),
    "",
    "Try:",
    `  curl -s -X POST ${url}/login -H 'content-type: application/json' -d '${login}'`,
    `  curl -s "${url}/me?token=<token from the login answer>"`,
    `  curl -s -X POST ${url}/logout -H 'authorization: Bearer <token>'`,
    "",
    "Ctrl-C stops the server.",
  ].join("\n");
}
