import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_BY_SOURCE = 'paystory:rate-limit-by-source';

/**
 * Limits a route that takes no API key to RATE_LIMIT_NOTIFICATIONS_PER_MINUTE posts per source
 * address (`req.ip`, which TRUST_PROXY makes the sender's own behind a load balancer).
 */
export const RateLimitBySource = () => SetMetadata(RATE_LIMIT_BY_SOURCE, true);
