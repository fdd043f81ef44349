import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The shared test vectors live beside the repository (`../shared/vectors`), in CI as on a
 * developer's machine. TESSERA_VECTORS_DIR overrides the location. A missing directory fails
 * the run loudly: a vector test that silently skips would prove nothing.
 */
export function vectorsDir(): string {
  const fromEnv = process.env["TESSERA_VECTORS_DIR"];
  if (fromEnv) return fromEnv;
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
  const dir = join(repoRoot, "..", "shared", "vectors");
  if (!existsSync(dir)) {
    throw new Error(`Test vectors not found at ${dir}. Put the shared/ folder beside the repository or set TESSERA_VECTORS_DIR.`);
  }
  return dir;
}

export function loadVectors<T>(file: string): T {
  return JSON.parse(readFileSync(join(vectorsDir(), file), "utf8")) as T;
}

export interface Argon2Vector {
  readonly password: string;
  readonly hash: string;
  readonly note: string;
  readonly mustFail?: boolean;
}

export interface Argon2Vectors {
  readonly source: string;
  readonly cases: readonly Argon2Vector[];
}
