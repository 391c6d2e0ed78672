import { SetMetadata } from '@nestjs/common';

export const CLAIMS_IDEMPOTENCY_KEY_IN_ITS_WORK = 'paystory:claims-idempotency-key-in-its-work';

/**
 * Marks a handler that claims its request's Idempotency-Key itself, in its first transaction, with
 * the row that binds its work to the key, through `IdempotencyClaim.claimIn` (a charge: with its
 * PENDING payment). The interceptor then does not even read the key before the handler runs: only
 * when the handler's claim finds it taken is it replayed, refused or waited for as always. So the
 * handler must claim the key before its first write, and what it does before its claim must change
 * nothing (reads; a gateway rate slot it gives back unused): a retry of an answered request runs it
 * too, and whatever it answers then is not kept, the key's first answer is.
 */
export const ClaimsIdempotencyKeyInItsWork = () => SetMetadata(CLAIMS_IDEMPOTENCY_KEY_IN_ITS_WORK, true);
