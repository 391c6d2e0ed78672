import type { PaymentStatus } from '../payment-status';

/** A payment's state, or `NONE` before its row exists (an insert) and after it is withdrawn. */
export type PaymentState = PaymentStatus | 'NONE';

/** Why a payment changes: every change the state machine makes names one. */
export type PaymentCause =
  /** The row is written before the gateway is called. */
  | 'charge_requested'
  /** An approval found at the gateway that this service had not recorded (a phone issuance, an order seen only by query). */
  | 'found_approved'
  /** A phone issuance whose answer was lost: money may have moved. */
  | 'issuance_unknown'
  /** The request never left the service (the library refused it): nothing half-written stays. */
  | 'withdrawn'
  /** The gateway approved: its answer, its transaction query or a confirmed notification. */
  | 'approved'
  /** The gateway refused, or the charge provably never reached it. */
  | 'declined'
  /** The gateway's answer was lost or said nothing. */
  | 'answer_lost'
  /** A charge declined as never charged is sent again as the same order. */
  | 'retried'
  /** A cancel confirmed by the gateway took part or all of the approval back. */
  | 'cancelled';

export interface PaymentTransition {
  from: PaymentState;
  to: PaymentState;
  cause: PaymentCause;
}

/**
 * Every change a payment may go through, and only these. A DECLINED payment may still become
 * APPROVED (a late approval: the gateway processed it after all), which the state machine then
 * cancels at the gateway; nothing else leaves a settled state but a cancel.
 */
export const PAYMENT_TRANSITIONS: readonly PaymentTransition[] = Object.freeze([
  { from: 'NONE', to: 'PENDING', cause: 'charge_requested' },
  { from: 'NONE', to: 'APPROVED', cause: 'found_approved' },
  { from: 'NONE', to: 'UNKNOWN', cause: 'issuance_unknown' },
  { from: 'PENDING', to: 'NONE', cause: 'withdrawn' },
  { from: 'PENDING', to: 'APPROVED', cause: 'approved' },
  { from: 'UNKNOWN', to: 'APPROVED', cause: 'approved' },
  { from: 'DECLINED', to: 'APPROVED', cause: 'approved' },
  { from: 'PENDING', to: 'DECLINED', cause: 'declined' },
  { from: 'UNKNOWN', to: 'DECLINED', cause: 'declined' },
  { from: 'PENDING', to: 'UNKNOWN', cause: 'answer_lost' },
  { from: 'DECLINED', to: 'PENDING', cause: 'retried' },
  { from: 'APPROVED', to: 'PARTIALLY_CANCELLED', cause: 'cancelled' },
  { from: 'APPROVED', to: 'CANCELLED', cause: 'cancelled' },
  { from: 'PARTIALLY_CANCELLED', to: 'PARTIALLY_CANCELLED', cause: 'cancelled' },
  { from: 'PARTIALLY_CANCELLED', to: 'CANCELLED', cause: 'cancelled' },
]);

export function isAllowedTransition(from: PaymentState, to: PaymentState, cause: PaymentCause): boolean {
  return PAYMENT_TRANSITIONS.some((t) => t.from === from && t.to === to && t.cause === cause);
}

/** A write whose transition the table does not allow is a bug in this service, not a race: it is stopped. */
export function assertAllowedTransition(from: PaymentState, to: PaymentState, cause: PaymentCause): void {
  if (!isAllowedTransition(from, to, cause))
    throw new Error(`Payment transition ${from} -> ${to} (${cause}) is not in the state machine`);
}
