import { randomUUID } from 'node:crypto';
import { DECLINE_PREFIX, REGISTRATION_FAILURE_PREFIX } from '@app/sandbox';
import type { BillingKey, ChargeRequest, CreateBillingKeyRequest, Payment } from '@app/payments-client';
import { expectData, expectPaymentProblem, type ClientCaller } from './api-client';

/** Sandbox cards and what they do (apps/sandbox/src/cards/card-behaviour.ts). */
export const CARDS = {
  /** Approves every charge; the sandbox masks it as `536510******5678`. */
  normal: '5365100012345678',
  /** Registers, then declines every charge with the card code `code` (e.g. 3030). */
  decliningWith: (code: string) => `${DECLINE_PREFIX}00${code}`,
  /** Refused at registration: `0005` → F005. */
  refusedAtRegistration: (last4: string) => `${REGISTRATION_FAILURE_PREFIX}00${last4}`,
};

export function newCustomerId(): string {
  return `cus_${randomUUID().slice(0, 8)}`;
}

/** A valid `POST /v1/billing-keys` body for a card the sandbox approves; `overrides` change fields. */
export function billingKeyRequest(overrides: Partial<CreateBillingKeyRequest> = {}): CreateBillingKeyRequest {
  return {
    customerId: newCustomerId(),
    cardNo: CARDS.normal,
    expiry: '2912',
    birthOrBusinessNo: '900101',
    cardPassword2: '12',
    cardType: 'personal',
    cardCompanyCode: '04',
    buyerName: '홍길동',
    buyerTel: '01012345678',
    ...overrides,
  };
}

/** Issues an ACTIVE billing key through the API (card API, guide §14) for a new customer unless `overrides` name one. */
export async function givenActiveBillingKey(
  caller: ClientCaller,
  overrides: Partial<CreateBillingKeyRequest> = {},
): Promise<BillingKey> {
  return expectData(await caller.client.POST('/v1/billing-keys', { body: billingKeyRequest(overrides) }), 201);
}

export async function givenDeletedBillingKey(
  caller: ClientCaller,
  overrides: Partial<CreateBillingKeyRequest> = {},
): Promise<BillingKey> {
  const key = await givenActiveBillingKey(caller, overrides);
  return expectData(await caller.client.DELETE('/v1/billing-keys/{id}', { params: { path: { id: key.id } } }), 200);
}

/** A valid `POST /v1/payments` body charging `billingKeyId`. */
export function chargeRequest(billingKeyId: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return { billingKeyId, amount: 15_000, goodsName: '월간 구독', ...overrides };
}

/** Charges `amount` on a fresh billing key and returns the typed answer: `data` on 201 approved and 202 unknown, `error` on 422 declined. */
export async function chargeNewKey(
  caller: ClientCaller,
  amount: number,
  options: { cardNo?: string; orderId?: string } = {},
) {
  const key = await givenActiveBillingKey(caller, { cardNo: options.cardNo ?? CARDS.normal });
  return caller.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount, orderId: options.orderId }) });
}

/** An APPROVED payment of `amount` KRW on a fresh billing key. */
export async function givenApprovedPayment(caller: ClientCaller, amount: number): Promise<Payment> {
  const payment = expectData(await chargeNewKey(caller, amount), 201);
  if (payment.status !== 'APPROVED') throw new Error(`Expected an APPROVED payment, got ${payment.status}`);
  return payment;
}

/** A DECLINED payment (card code 3030): the charge answers 422 with the payment in the problem. */
export async function givenDeclinedPayment(caller: ClientCaller, amount = 10_000): Promise<Payment> {
  const { payment } = expectPaymentProblem(
    await chargeNewKey(caller, amount, { cardNo: CARDS.decliningWith('3030') }),
    422,
  );
  if (payment.status !== 'DECLINED') throw new Error(`Expected a DECLINED payment, got ${payment.status}`);
  return payment;
}
