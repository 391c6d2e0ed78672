import { createHash } from 'node:crypto';

/**
 * Identifies the Idempotency-Key (of one caller) a resource was created under, without storing the
 * key. Every resource a keyed request creates (payment, cancellation, subscription) carries it under
 * a unique index, written in the same transaction as the resource: a retry of that key finds the
 * resource instead of making a second one.
 */
export function idempotencyRefOf(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\n${key}`).digest('hex');
}
