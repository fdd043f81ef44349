import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Auth, HttpRequest, HttpResponse } from "../../src/index.js";
import type { ContractHarness } from "./harness.js";

const MOUNT = "/api/v1";

/**
 * The contract suite's reference harness on bare `node:http`: the smallest possible glue, so
 * core's own tests exercise the HTTP layer without any framework in between.
 */
export const nodeHarness: ContractHarness = {
  name: "node:http",
  async start(auth: Auth, options = {}) {
    let calls = 0;
    const send = (res: ServerResponse, response: HttpResponse): void => {
      res.statusCode = response.status;
      for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value as string | string[]);
      if (response.body === null) {
        res.end();
        return;
      }
      res.setHeader("content-type", "application/json; charset=utf-8");
      res.end(JSON.stringify(response.body));
    };
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void (async () => {
        const [pathname = "/", query = ""] = (req.url ?? "/").split(/\?(.*)/s);
        if (!pathname.startsWith(`${MOUNT}/`)) return send(res, { status: 404, headers: {}, body: { error: { code: "not_found", message: "Not found" } } });
        let parsedBody: unknown;
        const type = req.headers["content-type"] ?? "";
        if (options.withBodyParser && (type.includes("json") || type.includes("x-www-form-urlencoded"))) {
          const chunks: Buffer[] = [];
          for await (const chunk of req) chunks.push(chunk as Buffer);
          const text = Buffer.concat(chunks).toString("utf8");
          if (text) parsedBody = type.includes("json") ? (JSON.parse(text) as unknown) : Object.fromEntries(new URLSearchParams(text));
        }
        const request: HttpRequest = {
          method: req.method ?? "GET",
          path: pathname.slice(MOUNT.length),
          query,
          headers: req.headers,
          ip: req.socket.remoteAddress ?? null,
          ...(parsedBody === undefined ? { rawBody: req } : { parsedBody }),
        };
        const handled = await auth.handle(request);
        if (handled !== null) return send(res, handled);
        if (request.path === "/hello") return send(res, { status: 200, headers: {}, body: { hello: "world" } });
        if (request.path === "/me" || request.path === "/me/any") {
          const result = await auth.authenticate(request, { unlocked: request.path === "/me" });
          if (!result.ok) return send(res, result.response);
          calls += 1;
          const body = request.path === "/me" ? { user: result.auth.user, transport: result.auth.transport } : { isUnlocked: result.auth.session.isUnlocked };
          return send(res, { status: 200, headers: result.headers, body });
        }
        send(res, { status: 404, headers: {}, body: { error: { code: "not_found", message: "Not found" } } });
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}${MOUNT}`,
      handlerCalls: () => calls,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  },
};
