import { randomUUID } from 'node:crypto';
import { DECLINE_PREFIX, REGISTRATION_FAILURE_PREFIX } from '@app/sandbox';
import type { BillingKeyBody, PaymentBody, PaymentOrProblem } from './api-bodies';
import { expectStatus, type ApiCaller, type ApiResponse } from './api-client';

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
export function billingKeyRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
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
  caller: ApiCaller,
  overrides: Record<string, unknown> = {},
): Promise<BillingKeyBody> {
  const issued = await caller.api<BillingKeyBody>('POST', '/v1/billing-keys', billingKeyRequest(overrides));
  expectStatus(issued, 201);
  return issued.body;
}

export async function givenDeletedBillingKey(
  caller: ApiCaller,
  overrides: Record<string, unknown> = {},
): Promise<BillingKeyBody> {
  const key = await givenActiveBillingKey(caller, overrides);
  const deleted = await caller.api<BillingKeyBody>('DELETE', `/v1/billing-keys/${key.id}`);
  expectStatus(deleted, 200);
  return deleted.body;
}

/** A valid `POST /v1/payments` body charging `billingKeyId`. */
export function chargeRequest(billingKeyId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { billingKeyId, amount: 15_000, goodsName: '월간 구독', ...overrides };
}

/** Charges `amount` on a fresh billing key and returns the raw answer (201 approved, 202 unknown, 422 declined). */
export async function chargeNewKey(
  caller: ApiCaller,
  amount: number,
  options: { cardNo?: string; orderId?: string } = {},
): Promise<ApiResponse<PaymentOrProblem>> {
  const key = await givenActiveBillingKey(caller, { cardNo: options.cardNo ?? CARDS.normal });
  return caller.api<PaymentOrProblem>(
    'POST',
    '/v1/payments',
    chargeRequest(key.id, { amount, orderId: options.orderId }),
  );
}

/** An APPROVED payment of `amount` KRW on a fresh billing key. */
export async function givenApprovedPayment(caller: ApiCaller, amount: number): Promise<PaymentBody> {
  const response = await chargeNewKey(caller, amount);
  expectStatus(response, 201);
  if (response.body.status !== 'APPROVED') throw new Error(`Expected an APPROVED payment, got ${response.body.status}`);
  return { ...response.body, status: 'APPROVED' };
}

/** A DECLINED payment (card code 3030): the charge answers 422 with the payment in the problem. */
export async function givenDeclinedPayment(caller: ApiCaller, amount = 10_000): Promise<PaymentBody> {
  const response = await chargeNewKey(caller, amount, { cardNo: CARDS.decliningWith('3030') });
  expectStatus(response, 422);
  const payment = response.body.payment;
  if (payment?.status !== 'DECLINED')
    throw new Error(`Expected a DECLINED payment, got ${JSON.stringify(response.body)}`);
  return payment;
}
