/**
 * Secrets kept in the database (a platform binding's app secret and session
 * key) are sealed with AES-256-GCM under a key kept outside it
 * (SHOUHOU_SECRET_KEY or data/secret.key, like the audit key): a copy of the
 * database alone does not give them away. Each value has its own random IV;
 * the authentication tag finds any change. The API never answers them, only
 * their last four characters.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

let secretKey: Buffer | null = null;

export function useSecretKey(key: Buffer | null): void {
  if (key && key.length !== 32) throw new Error('the secret key is 32 bytes (64 hexadecimal characters)');
  secretKey = key;
}

export function hasSecretKey(): boolean {
  return secretKey !== null;
}

function key(): Buffer {
  if (!secretKey) throw new Error('no secret key is loaded (SHOUHOU_SECRET_KEY or data/secret.key)');
  return secretKey;
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. The purpose is bound in as associated data, so a sealed app secret cannot be passed off as a session key. */
export function sealSecret(plain: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function openSecret(sealed: string, purpose: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** What the API shows of a secret: its last four characters. */
export function lastFour(secret: string): string {
  return [...secret].slice(-4).join('');
}
