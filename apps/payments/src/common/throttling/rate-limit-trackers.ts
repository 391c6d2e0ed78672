import type { Request } from 'express';
import { idempotencyScope, type AuthenticatedRequest } from '../auth/principal';

/**
 * Who an API request counts against: its principal (tenant and key id, never the key itself),
 * which the PaymentsAuthGuard left on the request. Undefined for a request that took no key.
 */
export function apiKeyTracker(request: AuthenticatedRequest): string | undefined {
  return request.principal && idempotencyScope(request.principal);
}

/** The sender's address: the socket's, or behind proxies TRUST_PROXY trusts, the one X-Forwarded-For names. */
export function sourceTracker(request: Request): string {
  return (request.ip ?? request.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}
