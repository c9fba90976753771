/** argon2id with the parameters of OWASP's recommendation (m=19 MiB, t=2, p=1); @node-rs/argon2's defaults are weaker. */
import { readFileSync } from 'node:fs';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { checkPassword } from '../../core/auth/password-policy.ts';

const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let common: Set<string> | null = null;

/** The shipped list of common passwords (loaded once). */
export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    common = new Set(text.split('\n').filter((l) => l && !l.startsWith('#')));
  }
  return common;
}

/** Throws PASSWORD_REJECTED when the policy refuses it. */
export function assertPasswordAllowed(password: string, username?: string): void {
  const refused = checkPassword(password, commonPasswords(), { username });
  if (refused) throw refused;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so that both paths take the same time. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('shouhou-no-such-user-password');
  return dummy;
}
