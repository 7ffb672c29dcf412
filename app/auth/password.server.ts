// Password hashing with argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
import { hash, verify, type Algorithm, type Options } from "@node-rs/argon2";

// Algorithm.Argon2id is an ambient const enum, which isolatedModules cannot read; 2 is its value.
const ARGON2ID = 2 as Algorithm;

const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Longest password we accept: argon2 takes any length, but hashing megabytes per request is a cheap DoS. */
export const MAX_PASSWORD_LENGTH = 1024;

// The hash of a random, forgotten password with the same parameters. Verifying against it
// when the e-mail is unknown makes "no such user" cost as much time as "wrong password".
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$0Qp3dJG4+4MwvFAjQ4K1fg$fxgqBo2FRr5fnNp3tsRvw6vdAPsRkMM0rluV/bFATPQ";

export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/**
 * True when `password` matches `passwordHash`. Pass `null` for an unknown user:
 * the dummy hash is verified instead, and the answer is false.
 */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  // A malformed stored hash counts as a wrong password, not a server error.
  const ok = await verify(passwordHash ?? DUMMY_HASH, password).catch(() => false);
  return passwordHash !== null && ok;
}
