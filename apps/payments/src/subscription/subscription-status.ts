/**
 * ACTIVE: charged each period; PAST_DUE: the current period was declined and is being retried;
 * UNPAID: retries ran out (or a hard decline): no more charges until resumed; PAUSED: no charges;
 * CANCELLED: for good (by the customer, or because its billing key was deleted).
 */
export type SubscriptionStatus = 'ACTIVE' | 'PAST_DUE' | 'UNPAID' | 'PAUSED' | 'CANCELLED';

/** States the scheduler charges in: the current period is due or being retried. */
export const BILLABLE_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['ACTIVE', 'PAST_DUE'];

/**
 * `<column> IN ('ACTIVE', 'PAST_DUE')` with the statuses written out: the due queue's partial index
 * has this WHERE, and a database uses a partial index only for a query it can prove implies it,
 * which bound parameters would not.
 */
export function billableStatusSql(column: string): string {
  return `${column} IN (${BILLABLE_SUBSCRIPTION_STATUSES.map((status) => `'${status}'`).join(', ')})`;
}

/** States from which charging may start again, by a resume. */
export const RESUMABLE_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['PAUSED', 'UNPAID'];

/** Every state but CANCELLED: one that can still be cancelled (by the customer, or with its billing key). */
export const LIVE_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['ACTIVE', 'PAST_DUE', 'UNPAID', 'PAUSED'];
