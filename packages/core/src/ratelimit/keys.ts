import { isIP } from "node:net";

/**
 * Rate-limit keys. They live in the shared Store, so every instance counts together. Account
 * keys use the normalised name key, so unknown names are limited exactly like real ones and
 * the limiter reveals nothing about which accounts exist.
 */
export const rateLimitKeys = {
  loginAccount: (nameKey: string): string => `login:account:${nameKey}`,
  loginIp: (ip: string): string => `login:ip:${clientNetwork(ip)}`,
  mfaAccount: (userId: string): string => `mfa:account:${userId}`,
} as const;

/**
 * What the per-IP limit counts as one client: an IPv4 address (also when written IPv4-mapped,
 * `::ffff:203.0.113.7`), or an IPv6 /64. A single IPv6 subscriber usually holds a whole /64, so
 * counting single IPv6 addresses would give one client 2^64 budgets.
 */
export function clientNetwork(ip: string): string {
  const address = ip.trim().split("%")[0]!; // drop an IPv6 zone id ("fe80::1%eth0")
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = "", tail] = address.split("::");
  const parts = (text: string): string[] =>
    // An embedded IPv4 tail ("::ffff:1.2.3.4" style) fills two groups; it is in the dropped half anyway.
    text === "" ? [] : text.split(":").flatMap((group) => (group.includes(".") ? ["0", "0"] : [group]));
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

/** Whole seconds until `resetAt`, at least 1: what `Retry-After` carries. */
export function retryAfterSeconds(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}
