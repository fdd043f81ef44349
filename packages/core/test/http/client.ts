import { connect } from "node:net";

export interface CallOptions {
  readonly token?: string;
  /** How to send `token`. Default "bearer". */
  readonly via?: "bearer" | "query" | "cookie";
  readonly body?: unknown;
  /** A body sent as is (for malformed JSON). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  readonly query?: string;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/** One request over real HTTP. Every call has a deadline: a hang is a failure, not a stuck suite. */
export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  let query = options.query ?? "";
  if (options.token !== undefined) {
    const via = options.via ?? "bearer";
    if (via === "bearer") headers["authorization"] = `Bearer ${options.token}`;
    if (via === "cookie") headers["cookie"] = `tessera_session=${options.token}`;
    if (via === "query") query += `${query ? "&" : ""}token=${encodeURIComponent(options.token)}`;
  }
  let payload: string | undefined;
  // fetch cannot send a body with GET or HEAD; those routes take none anyway.
  if (method === "GET" || method === "HEAD") payload = undefined;
  else if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  const response = await fetch(`${baseUrl}${path}${query ? `?${query}` : ""}`, {
    method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
    redirect: "manual",
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Sends bytes no well-behaved client would, and returns the status code the server answered. */
export function rawRequest(baseUrl: string, request: string): Promise<number> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no answer within 10 s"));
    }, 10_000);
    socket.on("connect", () => socket.write(request));
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      if (match) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      if (!/^HTTP/.test(data)) reject(new Error("connection closed without an answer"));
    });
  });
}
