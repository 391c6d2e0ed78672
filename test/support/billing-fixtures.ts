import { randomUUID } from 'node:crypto';
import { DECLINE_PREFIX, REGISTRATION_FAILURE_PREFIX } from '@app/sandbox';
import type { ApiResponse } from './service-harness';

/** Anything that can call the service's API: the in-process harness or a service in a child process. */
export interface ApiCaller {
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

/** The public shape of a billing key (CONTRACT.md "Billing keys"). */
export interface BillingKeyBody {
  id: string;
  customerId: string;
  payMethod: string;
  status: string;
  cardNoMasked: string | null;
  cardCompanyCode: string | null;
  cardCompanyName: string | null;
  issuedAt: string;
  deletedAt: string | null;
}

/** The public shape of a payment (CONTRACT.md "Payments"). */
export interface PaymentBody {
  id: string;
  orderId: string;
  tid: string | null;
  status: string;
  amount: number;
  cancelledAmount: number;
  cancellableAmount: number;
  approvalNo: string | null;
  approvedAt: string | null;
  installmentMonths: number;
  customerId: string;
  card: { masked: string | null; issuerCode: string | null; issuerName: string | null; acquirerCode: string | null; type: string | null } | null;
  failure: { code: string; message: string | null; category: string | null } | null;
  needsAttention: boolean;
  attentionReason: string | null;
}

/** An `application/problem+json` body. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  gatewayMessage?: string;
  errors?: { field: string; message: string }[];
  payment?: PaymentBody;
}

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

export async function givenActiveBillingKey(caller: ApiCaller, overrides: Record<string, unknown> = {}): Promise<BillingKeyBody> {
  const issued = await caller.api<BillingKeyBody>('POST', '/v1/billing-keys', billingKeyRequest(overrides));
  if (issued.status !== 201) throw new Error(`Billing key not issued: ${issued.status} ${issued.text}`);
  return issued.body;
}

export async function givenDeletedBillingKey(caller: ApiCaller, overrides: Record<string, unknown> = {}): Promise<BillingKeyBody> {
  const key = await givenActiveBillingKey(caller, overrides);
  const deleted = await caller.api<BillingKeyBody>('DELETE', `/v1/billing-keys/${key.id}`);
  if (deleted.status !== 200) throw new Error(`Billing key not deleted: ${deleted.status} ${deleted.text}`);
  return deleted.body;
}

/** A valid `POST /v1/payments` body charging `billingKeyId`. */
export function chargeRequest(billingKeyId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { billingKeyId, amount: 15_000, goodsName: '월간 구독', ...overrides };
}
