import { createServer } from 'node:net';
import type { ApiResponse, ServiceHarness } from './service-harness';

/** A card the sandbox approves every charge for. */
export const APPROVING_CARD = '5365100012345678';
/** A card the sandbox declines every charge for with `3030` (카드 한도초과): DECLINE_PREFIX + the code. */
export const DECLINING_CARD = '4000000000003030';

/** The public shape of a cancellation (CONTRACT.md "Payments"), as the tests read it. */
export interface CancellationBody {
  id: string;
  tid: string | null;
  amount: number;
  partial: boolean;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';
  reason: string;
  cancelledAt: string | null;
  failure: { code: string; message: string } | null;
}

/** The public shape of a payment (CONTRACT.md "Payments"), as the tests read it. */
export interface PaymentBody {
  id: string;
  orderId: string;
  tid: string | null;
  status: 'PENDING' | 'APPROVED' | 'DECLINED' | 'UNKNOWN' | 'CANCELLED' | 'PARTIALLY_CANCELLED';
  amount: number;
  cancelledAmount: number;
  cancellableAmount: number;
  goodsName: string;
  failure: { code: string; message: string } | null;
  cancellations?: CancellationBody[];
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

/** What a call answers that gives a payment on success and a problem (which may carry the payment) otherwise. */
export type PaymentOrProblem = Omit<PaymentBody, 'status'> & Omit<ProblemBody, 'status'> & { status: PaymentBody['status'] | number };

let customerSeq = 0;

/** Issues an ACTIVE billing key through the API (card API, guide §14) and returns its id. */
export async function givenActiveBillingKey(h: ServiceHarness, cardNo = APPROVING_CARD): Promise<string> {
  const response = await h.api<{ id: string }>('POST', '/v1/billing-keys', {
    customerId: `cust-${process.pid}-${++customerSeq}`,
    cardNo,
    expiry: '3012',
    birthOrBusinessNo: '900101',
    cardPassword2: '12',
    cardType: 'personal',
    cardCompanyCode: '04',
    buyerName: '홍길동',
    buyerTel: '01012345678',
  });
  expectStatus(response, 201);
  return response.body.id;
}

/** Charges a fresh billing key and returns the raw answer (201 approved, 202 unknown, 422 declined). */
export async function chargeNewKey(h: ServiceHarness, amount: number, options: { cardNo?: string; orderId?: string } = {}): Promise<ApiResponse<PaymentOrProblem>> {
  const billingKeyId = await givenActiveBillingKey(h, options.cardNo);
  return h.api<PaymentOrProblem>('POST', '/v1/payments', { billingKeyId, amount, goodsName: '테스트 상품', orderId: options.orderId });
}

/** An APPROVED payment of `amount` KRW on a fresh billing key. */
export async function givenApprovedPayment(h: ServiceHarness, amount: number): Promise<PaymentBody> {
  const response = await chargeNewKey(h, amount);
  expectStatus(response, 201);
  if (response.body.status !== 'APPROVED') throw new Error(`Expected an APPROVED payment, got ${response.body.status}`);
  return { ...response.body, status: 'APPROVED' };
}

/** A DECLINED payment (card code 3030): the charge answers 422 with the payment in the problem. */
export async function givenDeclinedPayment(h: ServiceHarness, amount = 10_000): Promise<PaymentBody> {
  const response = await chargeNewKey(h, amount, { cardNo: DECLINING_CARD });
  expectStatus(response, 422);
  const payment = response.body.payment;
  if (payment?.status !== 'DECLINED') throw new Error(`Expected a DECLINED payment, got ${JSON.stringify(response.body)}`);
  return payment;
}

/** Fails with the response body in the message, which says more than a bare status mismatch. */
export function expectStatus(response: ApiResponse<unknown>, status: number): void {
  if (response.status !== status) throw new Error(`Expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
}

/** A local URL nothing listens on: what is sent there is lost (e.g. a notiUrl, for tests where notifications must not arrive). */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
