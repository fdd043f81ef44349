import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Auth } from "@tessera/core";
import type express from "express";
import type { ContractApp, ContractAppOptions, ContractHarness } from "../../core/test/http/harness.js";
import { getAuth, router } from "../src/index.js";

/** `express` or `express4`: the two majors have the same shape for what the tests use. */
export type ExpressModule = typeof express;
export type ExpressApp = ReturnType<ExpressModule>;

export interface Listening {
  readonly origin: string;
  close(): Promise<void>;
}

/** Starts `app` on 127.0.0.1, port 0. */
export async function listen(app: ExpressApp): Promise<Listening> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, "127.0.0.1", (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/** The app `ContractHarness.start` describes, on the given Express major. */
export function expressHarness(name: string, expressModule: ExpressModule): ContractHarness {
  return {
    name,
    async start(auth: Auth, options: ContractAppOptions = {}): Promise<ContractApp> {
      let calls = 0;
      const app = expressModule();
      // Forms too, as many apps have it: the suite checks Tessera refuses what a form parser produced.
      if (options.withBodyParser === true) app.use(expressModule.json(), expressModule.urlencoded({ extended: false }));
      const tessera = router(auth);
      app.use("/api/v1", tessera);
      app.get("/api/v1/me", tessera.requireAuth(), (req, res) => {
        calls += 1;
        const { user, transport } = getAuth(req);
        res.json({ user, transport });
      });
      app.get("/api/v1/me/any", tessera.requireAuth({ unlocked: false }), (req, res) => {
        calls += 1;
        res.json({ isUnlocked: getAuth(req).session.isUnlocked });
      });
      app.get("/api/v1/hello", (_req, res) => {
        res.json({ hello: "world" });
      });
      const server = await listen(app);
      return { url: `${server.origin}/api/v1`, handlerCalls: () => calls, close: () => server.close() };
    },
  };
}
