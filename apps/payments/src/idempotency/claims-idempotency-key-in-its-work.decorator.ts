import { SetMetadata } from '@nestjs/common';

export const CLAIMS_IDEMPOTENCY_KEY_IN_ITS_WORK = 'paystory:claims-idempotency-key-in-its-work';

/**
 * Marks a handler that claims its request's Idempotency-Key itself, in its first transaction, with
 * the row that binds its work to the key, through `IdempotencyClaim.claimIn` (a charge: with its
 * PENDING payment). The interceptor then only looks the key up before the handler runs (a key
 * already used is replayed, refused or waited for as always) instead of claiming it in a
 * transaction of its own. The handler must claim the key before its first write.
 */
export const ClaimsIdempotencyKeyInItsWork = () => SetMetadata(CLAIMS_IDEMPOTENCY_KEY_IN_ITS_WORK, true);
