import { randomBytes } from 'node:crypto';
import { idempotencyRefOf } from './idempotency-ref';

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
