import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Store } from "@tessera/core";
import { createAuth } from "@tessera/core";
import { createMemoryStore } from "@tessera/memory";
import { createApp } from "./app.js";

export interface StartOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  /** `null` or absent: generate one for this run. */
  readonly secret?: string | null;
  /** Default: a fresh memory store. */
  readonly store?: Store;
  /** Startup notes and request log lines. Default: `console.log`. */
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  /** Where Tessera is mounted: "http://localhost:3000/api/v1". */
  readonly url: string;
  /** Registered at startup with a random password, so there is something to log in with. */
  readonly demo: { readonly name: string; readonly password: string };
  /** Stops accepting connections and resolves once in-flight requests are done. */
  close(): Promise<void>;
}

// In-flight requests get this long to finish on shutdown before their connections are cut.
const SHUTDOWN_GRACE_MS = 5000;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const log = options.log ?? console.log;
  let secret = options.secret ?? null;
  if (secret === null) {
    secret = randomBytes(32).toString("base64url");
    log("TESSERA_SECRET is not set: using a random secret for this run, so sessions won't survive a restart.");
  }
  const auth = createAuth({
    secret,
    store: options.store ?? createMemoryStore(),
    // Registration is opt-in; the example turns it on. Cookies without `Secure`: this is plain local HTTP.
    http: { register: true, cookie: { secure: false } },
  });

  const demo = { name: "demo", password: randomBytes(12).toString("base64url") };
  const registered = await auth.register(demo);
  if (!registered.ok) throw new Error(`could not register the demo user: ${registered.code}`);

  const app = createApp({ auth, log });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, options.host ?? "127.0.0.1", (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://localhost:${port}/api/v1`,
    demo,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
      }),
  };
}

/** What `pnpm start` prints once the server listens. */
export function startupMessage({ url, demo }: RunningServer): string[] {
  const login = JSON.stringify({ name: demo.name, password: demo.password });
  return [
    `Tessera example (Express) on ${url} — demo account: ${demo.name} / ${demo.password}`,
    "",
    "Try:",
    `  curl -s -X POST ${url}/login -H 'content-type: application/json' -d '${login}'`,
    `  curl -s ${url}/me -H "Authorization: Bearer <token from login>"`,
    `  curl -s -X POST ${url}/logout -H "Authorization: Bearer <token from login>"`,
  ];
}
