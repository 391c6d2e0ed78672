import type { Request } from 'express';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { isApiPath } from '../auth/api-path';

/**
 * Who an API request counts against: the first 16 hex digits of its key's SHA-256, which the
 * ApiKeyGuard left on the request (never the key itself). Undefined for a request that took no key.
 */
export function apiKeyTracker(request: AuthenticatedRequest): string | undefined {
  return isApiPath(request.path) ? request.apiKeyScope?.slice(0, 16) : undefined;
}

/** The sender's address: the socket's, or behind proxies TRUST_PROXY trusts, the one X-Forwarded-For names. */
export function sourceTracker(request: Request): string {
  return (request.ip ?? request.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}
