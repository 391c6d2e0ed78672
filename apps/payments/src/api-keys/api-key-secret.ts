import { createHash, randomBytes } from 'node:crypto';

/** Every stored key's secret starts so; anything else is not looked up. */
export const SECRET_PREFIX = 'psk_';

/** A new secret: `psk_` and 32 random bytes (base64url). */
export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** A new key id: `key_` and 16 random bytes (hex). Not a secret: it names the key in logs and lists. */
export function newKeyId(): string {
  return `key_${randomBytes(16).toString('hex')}`;
}

/** What the table keeps of a secret: its SHA-256 (hex). The secret has 256 random bits, so no salt or slow hash is needed. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
