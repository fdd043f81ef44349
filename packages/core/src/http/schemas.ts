import { z } from "zod";
import type { ValidationIssue } from "../auth.js";

/**
 * Request bodies, validated strictly: an unknown field is a `400`, so a typo in a client
 * (`pasword`) fails loudly instead of being ignored.
 */
const required = (what: string) => (issue: { input?: unknown }): string => (issue.input === undefined ? "is required" : `must be ${what}`);
const text = (max: number): z.ZodString => z.string({ error: required("a string") }).max(max, { error: `must be at most ${max} characters` });

export const bodies = {
  login: z.strictObject({
    name: text(1024),
    password: text(8192),
    /** Accepted for compatibility with clients of the original API; Tessera has no tenants. */
    tenant: text(256).optional(),
    /** `false`: leave the token out of the body (the cookie carries it). */
    returnToken: z.boolean({ error: "must be true or false" }).optional(),
  }),
  unlock: z.strictObject({
    factors: z
      .array(
        z.strictObject({
          factor: z.enum(["totp", "recovery"], { error: 'must be "totp" or "recovery"' }),
          password: text(64),
        }),
        { error: "must be an array" },
      )
      .length(1, { error: "must hold exactly one factor" }),
  }),
  logoutAll: z.strictObject({ keepCurrent: z.boolean({ error: "must be true or false" }).optional() }),
  confirmTotp: z.strictObject({ code: text(64) }),
  password: z.strictObject({ password: text(8192) }),
  changePassword: z.strictObject({ currentPassword: text(8192), newPassword: text(8192) }),
  register: z.strictObject({ name: text(1024), password: text(8192) }),
} as const;

export type BodySchema = (typeof bodies)[keyof typeof bodies];

export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.flatMap((issue): ValidationIssue[] => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => ({ path: [...path, key], message: "unknown field" }));
    return [{ path, message: issue.message }];
  });
}
