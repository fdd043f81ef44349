/**
 * A URL fit for a request log: the value of every parameter whose name decodes to `token` (in any
 * case, however it is percent-encoded: `%74oken=` is `token=` to the server) becomes
 * `[redacted]`, in the query and in anything after a `#` as well (a raw request target can carry
 * a literal `#`, and not every framework cuts it off). Use it wherever a URL is written down.
 */
export function redactUrl(url: string): string {
  const start = url.search(/[?#]/);
  if (start === -1) return url;
  return url.slice(0, start) + url.slice(start).replace(/([?#&;])([^&;#=]*)(=[^&;#]*)?/g, (match, separator: string, key: string) =>
    decodeKey(key).toLowerCase() === "token" ? `${separator}${key}=[redacted]` : match,
  );
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}
