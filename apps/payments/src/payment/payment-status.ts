/**
 * A charge's life: PENDING (row written, gateway not yet answered) → APPROVED | DECLINED | UNKNOWN
 * (no answer: may or may not be approved; resolved by the transaction query, never charged again);
 * an approval later becomes PARTIALLY_CANCELLED or CANCELLED.
 */
export type PaymentStatus = 'PENDING' | 'APPROVED' | 'DECLINED' | 'UNKNOWN' | 'PARTIALLY_CANCELLED' | 'CANCELLED';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'PENDING',
  'APPROVED',
  'DECLINED',
  'UNKNOWN',
  'PARTIALLY_CANCELLED',
  'CANCELLED',
];

/** States whose truth is not known yet: only the gateway's answer or its transaction query may move them. */
export const UNRESOLVED_STATUSES: readonly PaymentStatus[] = ['PENDING', 'UNKNOWN'];

/** Approved at the gateway: the money was taken, though cancels may have refunded some or all of it since. */
export const APPROVED_AT_GATEWAY_STATUSES: readonly PaymentStatus[] = ['APPROVED', 'PARTIALLY_CANCELLED', 'CANCELLED'];
