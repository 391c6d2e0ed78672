import { describe, expect, it } from '@jest/globals';
import { PAYMENT_STATUSES } from '../payment-status';
import { isAllowedTransition, PAYMENT_TRANSITIONS, type PaymentCause, type PaymentState } from './payment-transitions';

const STATES: readonly PaymentState[] = ['NONE', ...PAYMENT_STATUSES];
const CAUSES: readonly PaymentCause[] = [
  'charge_requested',
  'found_approved',
  'issuance_unknown',
  'withdrawn',
  'approved',
  'declined',
  'answer_lost',
  'retried',
  'cancelled',
];

/** The table written out by hand once more, as the contract the state machine keeps: from → to → cause. */
const EXPECTED = new Set([
  'NONE>PENDING:charge_requested',
  'NONE>APPROVED:found_approved',
  'NONE>UNKNOWN:issuance_unknown',
  'PENDING>NONE:withdrawn',
  'PENDING>APPROVED:approved',
  'UNKNOWN>APPROVED:approved',
  'DECLINED>APPROVED:approved',
  'PENDING>DECLINED:declined',
  'UNKNOWN>DECLINED:declined',
  'PENDING>UNKNOWN:answer_lost',
  'DECLINED>PENDING:retried',
  'APPROVED>PARTIALLY_CANCELLED:cancelled',
  'APPROVED>CANCELLED:cancelled',
  'PARTIALLY_CANCELLED>PARTIALLY_CANCELLED:cancelled',
  'PARTIALLY_CANCELLED>CANCELLED:cancelled',
]);

const EVERY = STATES.flatMap((from) => STATES.flatMap((to) => CAUSES.map((cause) => ({ from, to, cause }))));

describe('payment transitions', () => {
  it.each(EVERY.filter((t) => EXPECTED.has(`${t.from}>${t.to}:${t.cause}`)))(
    'allows $from → $to ($cause)',
    ({ from, to, cause }) => {
      expect(isAllowedTransition(from, to, cause)).toBe(true);
    },
  );

  it.each(EVERY.filter((t) => !EXPECTED.has(`${t.from}>${t.to}:${t.cause}`)))(
    'refuses $from → $to ($cause)',
    ({ from, to, cause }) => {
      expect(isAllowedTransition(from, to, cause)).toBe(false);
    },
  );

  it('lists each transition once', () => {
    expect(new Set(PAYMENT_TRANSITIONS.map((t) => `${t.from}>${t.to}:${t.cause}`)).size).toBe(
      PAYMENT_TRANSITIONS.length,
    );
    expect(PAYMENT_TRANSITIONS).toHaveLength(EXPECTED.size);
  });

  it('never leaves CANCELLED, and reaches a cancel only from an approval', () => {
    expect(EVERY.filter((t) => t.from === 'CANCELLED' && isAllowedTransition(t.from, t.to, t.cause))).toEqual([]);
    const intoCancel = PAYMENT_TRANSITIONS.filter((t) => t.to === 'CANCELLED' || t.to === 'PARTIALLY_CANCELLED').map(
      (t) => t.from,
    );
    expect(new Set(intoCancel)).toEqual(new Set(['APPROVED', 'PARTIALLY_CANCELLED']));
  });
});
