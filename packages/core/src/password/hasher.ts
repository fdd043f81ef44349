import { hash, verify } from "@node-rs/argon2";
import type { Algorithm } from "@node-rs/argon2";

/**
 * How passwords are hashed. The default is argon2id through `@node-rs/argon2`; a custom hasher
 * (a legacy scheme during a migration, say) can be passed as `password.hasher`.
 */
export interface PasswordHasher {
  /** A PHC string for `password`. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches `hash`. A malformed hash is `false`, never an exception. */
  verify(hash: string, password: string): Promise<boolean>;
  /** Whether a verified `hash` is weaker than the current policy and should be replaced. */
  needsRehash(hash: string): boolean;
}

export interface Argon2Params {
  /** Memory in KiB (`m`). */
  readonly memoryCost: number;
  /** Passes (`t`). */
  readonly timeCost: number;
  /** Lanes (`p`). */
  readonly parallelism: number;
}

/** OWASP's minimum recommendation for argon2id (2023): m=19 MiB, t=2, p=1. */
export const DEFAULT_ARGON2_PARAMS: Argon2Params = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

// `Algorithm` is an ambient const enum, which isolated modules cannot read; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
const ARGON2_VERSION_13 = 19;

export interface PhcArgon2 {
  readonly algorithm: "argon2id" | "argon2i" | "argon2d";
  readonly version: number;
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

const PHC = /^\$(argon2id|argon2i|argon2d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** Reads the parameters of an argon2 PHC string, or `null` if it is not one. */
export function parseArgon2Phc(phc: string): PhcArgon2 | null {
  const match = PHC.exec(phc);
  if (!match) return null;
  const [, algorithm, version, m, t, p] = match;
  return {
    algorithm: algorithm as PhcArgon2["algorithm"],
    version: Number(version),
    memoryCost: Number(m),
    timeCost: Number(t),
    parallelism: Number(p),
  };
}

export function createArgon2Hasher(params: Argon2Params = DEFAULT_ARGON2_PARAMS): PasswordHasher {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
  return {
    hash: (password) => hash(password, options),
    async verify(phc, password) {
      if (parseArgon2Phc(phc) === null) return false;
      try {
        return await verify(phc, password);
      } catch {
        return false;
      }
    },
    needsRehash(phc) {
      const parsed = parseArgon2Phc(phc);
      if (parsed === null) return true;
      // Only cost matters: a hash stronger than the policy (more memory or passes) is kept.
      return (
        parsed.algorithm !== "argon2id" ||
        parsed.version !== ARGON2_VERSION_13 ||
        parsed.memoryCost < params.memoryCost ||
        parsed.timeCost < params.timeCost
      );
    },
  };
}
