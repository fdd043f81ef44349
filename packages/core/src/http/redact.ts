/**
 * A URL fit for a request log: the value of every query parameter whose name decodes to `token`
 * (in any case, however it is percent-encoded: `%74oken=` is `token=` to the server) becomes
 * `[redacted]`. Use it wherever a URL that may carry `?token=` is written down.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart === -1) return url;
  const hashStart = url.indexOf("#", queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const redacted = query
    .split("&")
    .map((part) => {
      const eq = part.indexOf("=");
      const key = eq === -1 ? part : part.slice(0, eq);
      return decodeKey(key).toLowerCase() === "token" ? `${key}=[redacted]` : part;
    })
    .join("&");
  return `${url.slice(0, queryStart + 1)}${redacted}${hashStart === -1 ? "" : url.slice(hashStart)}`;
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}
