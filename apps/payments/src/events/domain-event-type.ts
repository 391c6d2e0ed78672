/** Every domain event type of the contract (CONTRACT.md "Events"). */
export type DomainEventType =
  | 'billing_key.issued'
  | 'billing_key.deleted'
  | 'payment.approved'
  | 'payment.declined'
  | 'payment.unknown'
  | 'payment.cancelled'
  | 'payment.partially_cancelled'
  | 'payment.late_approval_cancelled'
  | 'reconciliation.mismatch'
  | 'subscription.created'
  | 'subscription.charged'
  | 'subscription.past_due'
  | 'subscription.unpaid'
  | 'subscription.cancelled';
