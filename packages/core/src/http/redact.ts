/**
 * A URL fit for a request log: every `token=` query value (any case of the name) is replaced by
 * `[redacted]`. Use it wherever a URL that may carry `?token=` is written down.
 */
export function redactUrl(url: string): string {
  return url.replace(/([?&;]token=)[^&#;]*/gi, "$1[redacted]");
}
