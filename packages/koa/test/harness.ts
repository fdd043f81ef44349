import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import type { ContractApp, ContractAppOptions, ContractHarness } from "../../core/test/http/harness.js";
import type { TesseraState } from "../src/index.js";
import { router } from "../src/index.js";

type Middleware = Koa.Middleware<TesseraState>;

/** One method + exact path, running its own little chain: enough routing without koa-router. */
export function route(method: string, path: string, ...chain: Middleware[]): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== method || ctx.path !== path) return next();
    const run = async (index: number): Promise<void> => {
      const middleware = chain[index];
      if (middleware) await middleware(ctx, () => run(index + 1));
    };
    await run(0);
  };
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * What koa-bodyparser does with its defaults, reduced to JSON and forms: it always leaves an
 * object on `ctx.request.body` (`{}` when the request has no body it reads) and answers malformed
 * JSON with Koa's own 400.
 */
export const jsonBodyParser: Middleware = async (ctx, next) => {
  let body: unknown = {};
  if (ctx.get("content-type").startsWith("application/x-www-form-urlencoded")) {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
  } else if (JSON_TYPE.test(ctx.get("content-type"))) {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    try {
      body = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      ctx.throw(400, "invalid JSON");
    }
  }
  Object.assign(ctx.request, { body });
  await next();
};

export function listen(app: Koa<TesseraState>): Promise<{ server: Server; origin: string; close(): Promise<void> }> {
  const server = app.listen(0, "127.0.0.1");
  return once(server, "listening").then(() => {
    const { port } = server.address() as AddressInfo;
    return {
      server,
      origin: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // fetch keeps connections alive; without this, close() waits for them to time out.
          server.closeAllConnections();
        }),
    };
  });
}

/** The contract harness for one Koa major (`koa` is 3; the `koa2` alias is 2). */
export function harnessFor(name: string, KoaClass: typeof Koa): ContractHarness {
  return {
    name,
    async start(auth, options: ContractAppOptions = {}): Promise<ContractApp> {
      let calls = 0;
      const app = new KoaClass<TesseraState>();
      if (options.withBodyParser) app.use(jsonBodyParser);
      const tessera = router(auth, { prefix: "/api/v1" });
      app.use(tessera);
      app.use(
        route("GET", "/api/v1/me", tessera.requireAuth(), (ctx) => {
          calls += 1;
          ctx.body = { user: ctx.state.auth.user, transport: ctx.state.auth.transport };
        }),
      );
      app.use(
        route("GET", "/api/v1/me/any", tessera.requireAuth({ unlocked: false }), (ctx) => {
          calls += 1;
          ctx.body = { isUnlocked: ctx.state.auth.session.isUnlocked };
        }),
      );
      app.use(
        route("GET", "/api/v1/hello", (ctx) => {
          ctx.body = { hello: "world" };
        }),
      );
      const { origin, close } = await listen(app);
      return { url: `${origin}/api/v1`, handlerCalls: () => calls, close };
    },
  };
}

export const koaHarness: ContractHarness = harnessFor("koa 3", Koa);
