import { createHash, randomBytes } from 'node:crypto';

/**
 * Order ids (the gateway's `ordNo`, at most 40 bytes, unique per merchant).
 * Generated ids are random; one derived from an Idempotency-Key is the same on every retry of
 * that key, so a retry can only ever find the first attempt's payment, never make a second.
 */
export function generateOrderId(): string {
  return `o${Date.now().toString(36)}${randomBytes(10).toString('hex')}`;
}

export function orderIdForIdempotencyKey(scope: string, key: string): string {
  return `i${idempotencyRefOf(scope, key).slice(0, 32)}`;
}

/** Identifies the Idempotency-Key (of one caller) a payment was created under, without storing the key. */
export function idempotencyRefOf(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\n${key}`).digest('hex');
}
