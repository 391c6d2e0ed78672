import type { ExecutionContext } from '@nestjs/common';
import { PAYMENTS_ROUTE } from '../api/payments-routes.decorator';

/**
 * Whether a request is for a route of PaymentsModule, which authenticates its own callers (API keys,
 * or the host's strategy) and lets the gateway's routes through. A host's global guard runs before
 * them on every route: it uses this to leave those routes to PaymentsModule (docs/mounting.md
 * "Authentication"). Every payments controller carries the marker `@PaymentsRoutes()` sets.
 */
export function isPaymentsRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(PAYMENTS_ROUTE, context.getClass()) === true;
}
