import type { Request } from 'express';

/** The tenant of API keys from `API_KEYS`, and of every row written before tenants existed. */
export const DEFAULT_TENANT_ID = 'default';

/** Who a payments request is from, as the auth strategy established it. */
export interface Principal {
  /** Every resource the request reads or writes belongs to this tenant; another tenant's is 404. */
  readonly tenantId: string;
  /**
   * Who within the tenant: an API key's id (not its secret), or the host's user or client id.
   * With the tenant it scopes Idempotency-Keys and the order ids derived from them, so rotating a
   * key's secret keeps both.
   */
  readonly keyId: string;
  /**
   * The secret that keys the Idempotency-Key fingerprint (an HMAC) of this principal's requests:
   * bodies can carry card data, and an unkeyed hash of one could be guessed back. An `API_KEYS`
   * key: the key itself (as before tenants, so a retry across the upgrade still matches). Absent (a
   * stored key, whose secret rotates, or a host's principal): the first merchant's key, which every
   * instance holds and the database does not.
   */
  readonly fingerprintKey?: string;
}

/** What the auth guard leaves on the request for later layers. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/**
 * The scope of a principal's Idempotency-Keys and derived order ids. The default tenant's scope is
 * the key id alone: that is what it was before tenants (an `API_KEYS` key's id is its SHA-256), so
 * a retry that spans the upgrade still finds its key and derives the same order id.
 */
export function idempotencyScope(principal: Principal): string {
  return principal.tenantId === DEFAULT_TENANT_ID ? principal.keyId : `${principal.tenantId}/${principal.keyId}`;
}
