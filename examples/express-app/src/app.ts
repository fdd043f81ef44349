import { performance } from "node:perf_hooks";
import type { Auth } from "@tessera/core";
import { redactUrl } from "@tessera/core";
import { getAuth, router } from "@tessera/express";
import express from "express";
import type { Express } from "express";

export interface AppOptions {
  readonly auth: Auth;
  /** Receives one line per finished request. Default: `console.log`. */
  readonly log?: (line: string) => void;
}

/** The example's Express 5 application: Tessera at /api/v1, plus one protected route of "your" app. */
export function createApp(options: AppOptions): Express {
  const log = options.log ?? console.log;
  const app = express();
  // Behind a reverse proxy, set "trust proxy" (e.g. app.set("trust proxy", 1)) so req.ip is the
  // client's address: Tessera rate-limits logins per IP, and without it every client is the proxy.

  app.use((req, res, next) => {
    const started = performance.now();
    res.on("close", () => {
      const status = res.writableFinished ? String(res.statusCode) : "aborted";
      // Tokens may arrive as ?token=…; a log line must never carry one.
      log(`${req.method} ${redactUrl(req.originalUrl)} ${status} ${Math.round(performance.now() - started)}ms`);
    });
    next();
  });

  // No express.json() needed: Tessera reads its own bodies, and would use the parsed one if present.
  const tessera = router(options.auth);
  app.use("/api/v1", tessera);

  app.get("/api/v1/me", tessera.requireAuth(), (req, res) => {
    const { user, session } = getAuth(req);
    res.json({ user, session });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: { code: "not_found", message: "Not found" } });
  });
  return app;
}
