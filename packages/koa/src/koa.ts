/**
 * The few parts of a Koa 2 / Koa 3 context Tessera touches. Typed here rather than imported so
 * the package has no runtime (or version-specific type) dependency on koa: a Koa 2 or Koa 3
 * `ctx` is assignable to `KoaContext`.
 */
export interface KoaContext {
  readonly method: string;
  /** The URL path without the query string, as Koa gives it. */
  readonly path: string;
  readonly querystring: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly ip: string;
  /** Node's request, read as the body stream when no body parser ran. */
  readonly req: AsyncIterable<Uint8Array | string>;
  /** `body` appears here once a body parser (koa-bodyparser, @koa/bodyparser) has run. */
  readonly request: object;
  readonly state: object;
  readonly app: { emit(event: string, ...args: unknown[]): unknown };
  status: number;
  body: unknown;
  type: string;
  set(field: string, value: string | string[]): void;
  append(field: string, value: string | string[]): void;
}

export type KoaNext = () => Promise<unknown>;

export type KoaMiddleware = (ctx: KoaContext, next: KoaNext) => Promise<void>;
