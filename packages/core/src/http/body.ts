import type { HttpResponse } from "./types.js";
import { errorResponse } from "./responses.js";

export type BodyResult = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly response: HttpResponse };

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;|$)/i;

export function isJsonType(contentType: string): boolean {
  return JSON_TYPE.test(contentType.trim());
}

/**
 * Reads a JSON body with a hard size limit. Nothing past the limit is buffered: the read stops
 * and the answer is `413`. An empty body is `undefined`.
 */
export async function readJsonBody(
  source: AsyncIterable<Uint8Array | string> | undefined,
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  limit: number,
): Promise<BodyResult> {
  const declared = Number(first(headers["content-length"]) ?? "0");
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
  if (source === undefined) return { ok: true, body: undefined };

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    size += buffer.length;
    if (size > limit) return tooLarge(limit);
    chunks.push(buffer);
  }
  if (size === 0) return { ok: true, body: undefined };
  return parseJson(Buffer.concat(chunks).toString("utf8"), headers);
}

/** Parses a body already read as text. */
export function parseJson(text: string, headers: Readonly<Record<string, string | readonly string[] | undefined>>): BodyResult {
  if (!isJsonType(first(headers["content-type"]) ?? "")) return { ok: false, response: errorResponse(415, "unsupported_media_type") };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: errorResponse(400, "invalid_json") };
  }
}

function tooLarge(limit: number): BodyResult {
  return { ok: false, response: errorResponse(413, "payload_too_large", { message: `The request body is larger than ${limit} bytes` }) };
}

export function first(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === "string" ? value : value?.[0];
}
