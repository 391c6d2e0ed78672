import { isCancelSuccess, isChargeApproval, type PaystoryNotification } from '@app/paystory';
import type { PaymentGlance } from '../payment/payment-query.service';
import { APPROVED_AT_GATEWAY_STATUSES } from '../payment/payment-status';

export type NotificationKind = 'approval' | 'cancel' | 'other';

/** What a notification reports: a successful cancel (by code or flag), a charge approval, or neither. */
export function kindOf(n: PaystoryNotification): NotificationKind {
  if (isCancelSuccess(n.resultCode) || n.cancelled) return 'cancel';
  return isChargeApproval(n.resultCode) ? 'approval' : 'other';
}

export const CONFIRMS_KNOWN_STATE = 'Confirms what the service already knew';

/**
 * An approval that only confirms this payment: same tid and amount, approved at the gateway. Such a
 * payment stays approved at the gateway (cancels keep it in these statuses), so a confirming read
 * stays true; one that does not confirm may be out of date.
 */
export function confirmsApproval(n: PaystoryNotification, payment: PaymentGlance | null | undefined): boolean {
  return (
    kindOf(n) === 'approval' &&
    !!payment &&
    payment.tid === n.tid &&
    payment.amount === n.amount &&
    APPROVED_AT_GATEWAY_STATUSES.includes(payment.status)
  );
}
