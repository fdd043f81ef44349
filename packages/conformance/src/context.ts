import { randomBytes } from "node:crypto";
import type { Store } from "@tessera/core";
import type { CaseContext } from "./types.js";

/**
 * Appended to every id a case uses. Read as a glob (`*`, `?`) or as SQL LIKE (`%`, `_`) it still
 * matches itself, so an id built on a pattern-like label (`v*`, `v%`) also matches its literal
 * sibling (`v1`) in an adapter that interprets ids: that is what the hostile-id cases rely on.
 * Quotes catch string-built queries, `{}` Redis Cluster hash tags, the rest unicode handling.
 */
export const HOSTILE_SUFFIX = `'"*?{}%_ ü漢🔑`;

/** 72 random bits: namespaces of concurrent runs on one shared database never meet. */
function randomNamespace(): string {
  return randomBytes(9).toString("base64url");
}

export function createCaseContext(store: Store): CaseContext {
  const ns = randomNamespace();
  return {
    store,
    ns,
    id: (label) => `${ns}:${label}:${HOSTILE_SUFFIX}`,
  };
}
