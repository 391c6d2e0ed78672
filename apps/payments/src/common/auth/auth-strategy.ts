import type { Request } from 'express';
import type { Principal } from './principal';

/**
 * How the payments routes learn who is calling. The default reads `Authorization: Bearer <api key>`
 * (ApiKeyAuthStrategy); a host that authenticates its own way supplies a strategy that reads what
 * its guard left on the request. Undefined means "not authenticated" (401); a strategy may also
 * throw an AppError with a more precise message.
 */
export interface PaymentsAuthStrategy {
  authenticate(request: Request): Principal | undefined | Promise<Principal | undefined>;
}

export const PAYMENTS_AUTH_STRATEGY = Symbol('PAYMENTS_AUTH_STRATEGY');
