import type { GuardedWrites } from '../database/guarded-writes';

/**
 * The request's Idempotency-Key as its handler holds it, handed over by the interceptor through the
 * request (`@IdempotencyKey()`). A handler of a route marked `@ClaimsIdempotencyKeyInItsWork()` (a
 * charge) writes the key in its own transactions: it claims it in its first, with the row that binds
 * its work to the key, and may answer it in the one that settles the request. Other handlers ignore
 * it: their key was claimed before they ran, and the interceptor answers it afterwards.
 */
export interface IdempotencyClaim {
  readonly scope: string;
  readonly key: string;
  /**
   * Among the handler's first writes, before the others: the key, IN_FLIGHT for this instance
   * (nothing when it holds it already), as a claim. When another request has it, nothing is written
   * and {@link IdempotencyKeyTaken} is thrown: the interceptor then deals with the key as with any
   * key already used (replay, 409, wait, take over and run the handler again).
   */
  claimIn(writes: GuardedWrites): void;
  /**
   * Among the writes that settle the request, with what it reports: the key's answer, replayed from
   * then on; the interceptor writes none of its own. Nothing when the key is not claimed yet (a
   * change must never fail over it): the interceptor answers it afterwards, as for any route.
   */
  answerIn(writes: GuardedWrites, status: number, body: unknown): void;
}

/** The key has a record already (a retry, a twin request): the handler's claim wrote nothing. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('The Idempotency-Key was claimed by another request');
    this.name = IdempotencyKeyTaken.name;
  }
}

/** The claim in a request's key, when the interceptor handed one over (the facade's calls carry the bare key). */
export function handedClaim(idempotency: { scope: string; key: string } | undefined): IdempotencyClaim | undefined {
  return idempotency && 'claimIn' in idempotency ? (idempotency as IdempotencyClaim) : undefined;
}
