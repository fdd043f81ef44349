import type { Auth } from "../../src/index.js";

/**
 * What a framework package provides to run the shared HTTP contract suite (`contract.ts`) against
 * its own glue, over real HTTP.
 */
export interface ContractApp {
  /** Base URL of the mount point, no trailing slash: "http://127.0.0.1:54321/api/v1". */
  readonly url: string;
  /** How many times the protected app handlers (`/me`, `/me/any`) have run. */
  handlerCalls(): number;
  close(): Promise<void>;
}

export interface ContractAppOptions {
  /**
   * Install a body parser in front of Tessera that parses JSON *and* URL-encoded forms, as
   * `express.json()` + `express.urlencoded()` or koa-bodyparser's defaults do.
   */
  readonly withBodyParser?: boolean;
}

export interface ContractHarness {
  /** Shown in test names: "express 5", "koa 3". */
  readonly name: string;
  /**
   * Starts a real HTTP server on 127.0.0.1, port 0, with:
   * - Tessera's router for `auth` mounted at `/api/v1`;
   * - `GET /api/v1/me` behind `requireAuth()` (unlocked required), answering
   *   `200 { user, transport }` from the auth context;
   * - `GET /api/v1/me/any` behind `requireAuth({ unlocked: false })`, answering
   *   `200 { isUnlocked }` (`session.isUnlocked`);
   * - `GET /api/v1/hello` with no auth, answering `200 { hello: "world" }` (proves fall-through);
   * - both protected handlers counting their runs (`handlerCalls`).
   */
  start(auth: Auth, options?: ContractAppOptions): Promise<ContractApp>;
}
