import * as assert from "node:assert/strict";
import { inspect } from "node:util";

/** A value as an adapter author wants to see it in a failure: strings quoted, types visible. */
export function show(value: unknown): string {
  return inspect(value, { depth: 4, breakLength: Infinity, maxArrayLength: 12, maxStringLength: 160 });
}

/**
 * Structural equality on plain data. Prototypes are ignored (a driver may hand back null-prototype
 * rows) but types are not (`"1700000000000"` is not `1700000000000`); a key holding `undefined`
 * counts as absent.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = definedKeys(a);
  const keysB = definedKeys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => keysB.includes(key) && sameData(Reflect.get(a, key), Reflect.get(b, key)));
}

function definedKeys(value: object): string[] {
  return Object.keys(value).filter((key) => Reflect.get(value, key) !== undefined);
}

/** `what` names the call, e.g. "users.create of a new user"; the message adds what came back. */
export function expectResult(actual: unknown, expected: unknown, what: string): void {
  if (!sameData(actual, expected)) {
    assert.fail(`${what} returned ${show(actual)}; expected ${show(expected)}`);
  }
}

/** Field-by-field comparison, so the message names exactly the fields the adapter got wrong. */
export function expectRecord(actual: unknown, expected: object, what: string): void {
  if (typeof actual !== "object" || actual === null || Array.isArray(actual)) {
    assert.fail(`${what} returned ${show(actual)}; expected the record ${show(expected)}`);
  }
  const problems = fieldProblems(actual, expected);
  if (problems.length > 0) {
    assert.fail(`${what} returned a record that differs from what was stored:\n  - ${problems.join("\n  - ")}`);
  }
}

function fieldProblems(actual: object, expected: object): string[] {
  const problems: string[] = [];
  const expectedKeys = definedKeys(expected);
  for (const key of expectedKeys) {
    const want: unknown = Reflect.get(expected, key);
    const got: unknown = Reflect.get(actual, key);
    if (got === undefined) problems.push(`${key} is missing (stored ${show(want)})`);
    else if (!sameData(got, want)) problems.push(`${key} is ${show(got)}, expected ${show(want)}`);
  }
  for (const key of definedKeys(actual)) {
    if (!expectedKeys.includes(key)) problems.push(`unexpected field ${key} = ${show(Reflect.get(actual, key))}`);
  }
  return problems;
}

/** An unordered listing must hold exactly `expected`: nothing missing, nothing extra, no duplicate. */
export function expectRecordList(actual: unknown, expected: readonly { readonly id: string }[], what: string): void {
  if (!Array.isArray(actual)) assert.fail(`${what} returned ${show(actual)}; expected an array`);
  const items: unknown[] = actual;
  const ids = items.map((item) => (typeof item === "object" && item !== null ? Reflect.get(item, "id") : item));
  const wanted = expected.map((record) => record.id);
  const missing = wanted.filter((id) => !ids.includes(id));
  const unexpected = ids.filter((id) => typeof id !== "string" || !wanted.includes(id));
  const duplicated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (missing.length > 0 || unexpected.length > 0 || duplicated.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${show(missing)}` : "",
      unexpected.length > 0 ? `unexpected ${show(unexpected)}` : "",
      duplicated.length > 0 ? `duplicated ${show(duplicated)}` : "",
    ].filter((part) => part !== "");
    assert.fail(`${what} returned ${records(items.length)}; expected exactly ${records(expected.length)}: ${parts.join("; ")}`);
  }
  for (const record of expected) {
    expectRecord(items[ids.indexOf(record.id)], record, `${what} (record ${show(record.id)})`);
  }
}

function records(n: number): string {
  return n === 1 ? "1 record" : `${n} records`;
}

/** Concurrent counters: the returned counts must be exactly 1‥n, each once. */
export function expectEachCountOnce(counts: readonly unknown[], n: number, what: string): void {
  const seen = new Map<unknown, number>();
  for (const count of counts) seen.set(count, (seen.get(count) ?? 0) + 1);
  const missing: number[] = [];
  for (let count = 1; count <= n; count += 1) if (seen.get(count) !== 1) missing.push(count);
  if (missing.length === 0 && counts.length === n) return;
  const repeated = [...seen].filter(([, times]) => times > 1).map(([count, times]) => `${show(count)} ×${times}`);
  const strays = [...seen.keys()].filter((count) => typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > n);
  assert.fail(
    `${what} returned ${seen.size} distinct counts; expected each of 1..${n} exactly once` +
      (repeated.length > 0 ? `; repeated: ${repeated.slice(0, 5).join(", ")}${repeated.length > 5 ? ", …" : ""}` : "") +
      (strays.length > 0 ? `; out of range: ${show(strays)}` : "") +
      ` (${missing.length} of 1..${n} not returned exactly once)`,
  );
}

/**
 * Changes every field of a record a caller got back (or handed in), as a careless caller might.
 * `Reflect.set` instead of assignment: a frozen record simply refuses, which is a fine way for an
 * adapter to stay unaliased.
 */
export function scribble(record: object): void {
  for (const key of Object.keys(record)) {
    const value: unknown = Reflect.get(record, key);
    if (typeof value === "object" && value !== null) scribble(value);
    else Reflect.set(record, key, typeof value === "number" ? value + 1 : "scribbled");
  }
}

/** Fails with exactly `message` (assert.equal would append its own diff after ours). */
export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) assert.fail(message);
}
