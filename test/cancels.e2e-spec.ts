import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { DataSource } from 'typeorm';
import { CancellationEntity } from '../apps/payments/src/payment/entities/cancellation.entity';
import { newId } from '../apps/payments/src/database/ids';
import { PaymentEntity } from '../apps/payments/src/payment/entities/payment.entity';
import { PaymentJanitor } from '../apps/payments/src/payment/resolution/payment-janitor';
import type { CancelRequest, Payment } from '@app/payments-client';
import type { ProblemBody } from './support/api-bodies';
import { expectData, expectPaymentProblem } from './support/api-client';
import { eventTypesOf, getPayment, paymentsForOrder } from './support/api-reads';
import { chargeNewKey, givenApprovedPayment, givenDeclinedPayment } from './support/billing-fixtures';
import { cancellationRows } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { eventually, sleep } from './support/waiting';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';

function cancel(h: ServiceHarness, paymentId: string, body: CancelRequest, idempotencyKey?: string) {
  return h.client.POST('/v1/payments/{id}/cancel', {
    params: { path: { id: paymentId }, header: { 'Idempotency-Key': idempotencyKey } },
    body,
  });
}

function sync(h: ServiceHarness, paymentId: string) {
  return h.client.POST('/v1/payments/{id}/sync', { params: { path: { id: paymentId } } });
}

describe('POST /v1/payments/{id}/cancel', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  it('cancels part, part, then the rest: three tids, the balances after each, CANCELLED with nothing left at the gateway', async () => {
    const payment = await givenApprovedPayment(h, 10_000);

    const first = expectData(await cancel(h, payment.id, { reason: '부분 환불 1', amount: 3_000 }), 200);
    expect(first).toMatchObject({
      status: 'PARTIALLY_CANCELLED',
      cancelledAmount: 3_000,
      cancellableAmount: 7_000,
    });

    const second = expectData(await cancel(h, payment.id, { reason: '부분 환불 2', amount: 2_000 }), 200);
    expect(second).toMatchObject({
      status: 'PARTIALLY_CANCELLED',
      cancelledAmount: 5_000,
      cancellableAmount: 5_000,
    });

    const rest = expectData(await cancel(h, payment.id, { reason: '잔액 환불', amount: 5_000 }), 200);
    expect(rest).toMatchObject({ status: 'CANCELLED', cancelledAmount: 10_000, cancellableAmount: 0 });

    const cancellations = rest.cancellations ?? [];
    expect(cancellations.map((c) => [c.amount, c.status, c.reason])).toEqual([
      [3_000, 'SUCCEEDED', '부분 환불 1'],
      [2_000, 'SUCCEEDED', '부분 환불 2'],
      [5_000, 'SUCCEEDED', '잔액 환불'],
    ]);
    const tids = cancellations.map((c) => c.tid);
    expect(new Set([...tids, payment.tid]).size).toBe(4);
    expect(cancellations.every((c) => c.cancelledAt !== null)).toBe(true);

    const atGateway = await h.gateway.approvalFor(payment.orderId);
    expect(atGateway).toMatchObject({ amount: 10_000, remaining: 0, status: 'cancelled' });
    expect(atGateway.cancellations.map((c) => c.tid)).toEqual(tids);

    const sent = await h.gateway.cancelsOf(payment.tid);
    expect(sent.map((r) => [r.fields.canAmt, r.fields.partCanFlg, r.fields.canMsg])).toEqual([
      ['3000', '1', '부분 환불 1'],
      ['2000', '1', '부분 환불 2'],
      ['5000', '0', '잔액 환불'],
    ]);
    for (const request of sent) {
      expect(request.fields).toMatchObject({
        payMethod: 'CARD',
        mid: SANDBOX_MERCHANTS.card.mid,
        tid: payment.tid,
        ordNo: payment.orderId,
      });
      expect(request.resultCd).toBe('2001');
    }

    const stored = await getPayment(h, payment.id);
    expect(stored).toMatchObject({ status: 'CANCELLED', cancelledAmount: 10_000, cancellableAmount: 0 });
    expect(await eventTypesOf(h, payment.id)).toEqual([
      'payment.approved',
      'payment.partially_cancelled',
      'payment.partially_cancelled',
      'payment.cancelled',
    ]);
  });

  it('cancels everything when no amount is given (partCanFlg 0), after which nothing more can be cancelled', async () => {
    const payment = await givenApprovedPayment(h, 25_000);

    const full = expectData(await cancel(h, payment.id, { reason: '주문 취소' }), 200);
    expect(full).toMatchObject({ status: 'CANCELLED', cancelledAmount: 25_000, cancellableAmount: 0 });
    expect(full.cancellations).toEqual([
      expect.objectContaining({ amount: 25_000, partial: false, status: 'SUCCEEDED' }),
    ]);

    const sent = await h.gateway.cancelsOf(payment.tid);
    expect(sent.map((r) => [r.fields.canAmt, r.fields.partCanFlg])).toEqual([['25000', '0']]);
    expect(await h.gateway.approvalFor(payment.orderId)).toMatchObject({ remaining: 0, status: 'cancelled' });

    const again = await cancel(h, payment.id, { reason: '한 번 더' });
    expect(again.response.status).toBe(409);
    expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
    expect(await eventTypesOf(h, payment.id)).toEqual(['payment.approved', 'payment.cancelled']);
  });

  it('refuses a cancel over the cancellable balance with 422 and sends nothing to the gateway', async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    expectData(await cancel(h, payment.id, { reason: '부분 환불', amount: 4_000 }), 200);

    const over = await cancel(h, payment.id, { reason: '너무 많이', amount: 6_001 });
    expect(over.response.status).toBe(422);
    expect(over.response.headers.get('content-type')).toContain('application/problem+json');
    expect(over.error?.errors).toEqual([expect.objectContaining({ field: 'amount' })]);

    expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
    expect(await getPayment(h, payment.id)).toMatchObject({
      status: 'PARTIALLY_CANCELLED',
      cancelledAmount: 4_000,
      cancellableAmount: 6_000,
    });
    expect(await h.gateway.approvalFor(payment.orderId)).toMatchObject({ remaining: 6_000 });
  });

  it('never cancels more than was approved under 100 concurrent partial cancels, and agrees with the gateway', async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => cancel(h, payment.id, { reason: `동시 취소 ${i}`, amount: 150 })),
    );

    // 66 × 150 = 9,900 fit in 10,000; the 67th would take it over.
    const statuses = answers.map((a) => a.response.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(66);
    expect(statuses.filter((s) => s === 422)).toHaveLength(34);

    const stored = await getPayment(h, payment.id);
    expect(stored).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancelledAmount: 9_900, cancellableAmount: 100 });
    const cancellations = await cancellationRows(h.db, payment.id);
    const succeeded = cancellations.filter((c) => c.status === 'SUCCEEDED');
    expect(cancellations.filter((c) => c.status !== 'SUCCEEDED' && c.status !== 'FAILED')).toEqual([]);
    expect(succeeded.reduce((sum, c) => sum + c.amount, 0)).toBe(stored.cancelledAmount);

    const atGateway = await h.gateway.approvalFor(payment.orderId);
    expect(atGateway.amount - atGateway.remaining).toBe(stored.cancelledAmount);
    expect(new Set(succeeded.map((c) => c.tid))).toEqual(new Set(atGateway.cancellations.map((c) => c.tid)));
    const sent = await h.gateway.cancelsOf(payment.tid);
    expect(sent).toHaveLength(66);
    expect(sent.every((r) => r.fields.partCanFlg === '1' && r.fields.canAmt === '150')).toBe(true);
  }, 30_000);

  it('refuses to cancel a DECLINED payment with 409 and sends nothing', async () => {
    const declined = await givenDeclinedPayment(h);
    const before = (await h.gateway.requests('cancel')).length;

    const answer = await cancel(h, declined.id, { reason: '취소' });

    expect(answer.response.status).toBe(409);
    expect(answer.error?.type).toBe('/problems/payment_not_cancellable');
    expect(answer.error?.detail).toContain('DECLINED');
    expect((await h.gateway.requests('cancel')).length).toBe(before);
  });

  it('answers 404 for an unknown payment', async () => {
    const answer = await cancel(h, 'pay_does_not_exist', { reason: '취소' });
    expect(answer.response.status).toBe(404);
    expect(answer.error?.type).toBe('/problems/not_found');
  });

  it('replays a cancel sent again with the same Idempotency-Key, and refuses the key with another body', async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    const idempotencyKey = `cancel-${payment.id}`;

    const first = expectData(await cancel(h, payment.id, { reason: '중복 방지', amount: 1_000 }, idempotencyKey), 200);
    const replay = await cancel(h, payment.id, { reason: '중복 방지', amount: 1_000 }, idempotencyKey);

    expect(replay.response.status).toBe(200);
    expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.data).toEqual(first);
    expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
    expect(await getPayment(h, payment.id)).toMatchObject({ cancelledAmount: 1_000, cancellableAmount: 9_000 });

    const otherBody = await cancel(h, payment.id, { reason: '중복 방지', amount: 2_000 }, idempotencyKey);
    expect(otherBody.response.status).toBe(409);
    expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
  });

  describe('validation', () => {
    let payment: Payment;

    beforeAll(async () => {
      payment = await givenApprovedPayment(h, 10_000);
    });

    it.each([
      ['reason missing', { amount: 1_000 }, 'reason'],
      ['reason empty', { reason: '', amount: 1_000 }, 'reason'],
      // 34 syllables are 102 bytes in UTF-8: over canMsg's 100 bytes though only 34 characters.
      ['reason over 100 bytes in UTF-8', { reason: '가'.repeat(34), amount: 1_000 }, 'reason'],
      ['amount zero', { reason: '취소', amount: 0 }, 'amount'],
      ['amount negative', { reason: '취소', amount: -1_000 }, 'amount'],
      ['amount not whole', { reason: '취소', amount: 1_000.5 }, 'amount'],
      ['amount as a string', { reason: '취소', amount: '1000' }, 'amount'],
    ])('answers 400 naming the field when %s, and sends nothing', async (_case, body, field) => {
      const answer = await h.api<ProblemBody>('POST', `/v1/payments/${payment.id}/cancel`, body);

      expect(answer.status).toBe(400);
      expect(new Set(answer.body.errors?.map((e) => e.field))).toEqual(new Set([field]));
      expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(0);
      expect(await getPayment(h, payment.id)).toMatchObject({ status: 'APPROVED', cancellableAmount: 10_000 });
    });

    it('accepts a reason of exactly 100 bytes in UTF-8 and sends it unchanged', async () => {
      const reason = `${'가'.repeat(33)}!`; // 99 + 1 bytes
      expectData(await cancel(h, payment.id, { reason, amount: 1_000 }), 200);

      const sent = await h.gateway.cancelsOf(payment.tid);
      expect(sent.map((r) => r.fields.canMsg)).toEqual([reason]);
    });
  });
});

/**
 * The gateway answering late, never or with a refusal. The service's notiUrl goes nowhere here, so
 * what the service learns, it learns from its own answer, the janitor or `sync` (the query, §8).
 */
describe('POST /v1/payments/{id}/cancel when the gateway does not answer or refuses', () => {
  const TIMEOUT_MS = 800;
  /** How long a partial cancel the gateway does not show stays reserved. */
  const RELEASE_AFTER_MS = 2_500;
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({
      PAYSTORY_TIMEOUT_MS: String(TIMEOUT_MS),
      PUBLIC_BASE_URL: UNREACHABLE_URL,
      JANITOR_BACKOFF_MS: '0',
      JANITOR_STALE_AFTER_MS: String(TIMEOUT_MS + 1),
      JANITOR_CANCEL_RELEASE_AFTER_MS: String(RELEASE_AFTER_MS),
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('refuses with 409 to cancel a charge while it is PENDING and once it is UNKNOWN, sending nothing', async () => {
    const before = (await h.gateway.requests('cancel')).length;
    await h.gateway.fault('charge', 'hang-before-processing');
    const orderId = `ord-unknown-${Date.now()}`;
    const charging = chargeNewKey(h, 10_000, { orderId });

    const [pending] = await eventually(
      () => paymentsForOrder(h, orderId),
      (found) => found.length > 0,
      2_000,
      10,
    );
    expect(pending.status).toBe('PENDING');
    const whilePending = await cancel(h, pending.id, { reason: '취소' });
    expect(whilePending.response.status).toBe(409);

    const charged = expectData(await charging, 202);
    expect(charged.status).toBe('UNKNOWN');
    const whileUnknown = await cancel(h, charged.id, { reason: '취소' });
    expect(whileUnknown.response.status).toBe(409);
    expect(whileUnknown.error?.type).toBe('/problems/payment_not_cancellable');
    expect(whileUnknown.error?.detail).toContain('UNKNOWN');

    expect((await h.gateway.requests('cancel')).length).toBe(before);
  });

  it("turns the gateway's refusals into 422 with its code (2032 over its balance, 2004 already cancelled) and releases the reservation", async () => {
    // Cancels made in the gateway's console, which this service has not heard of (its notiUrl is dead here).
    const payment = await givenApprovedPayment(h, 10_000);
    expect(await h.gateway.adminCancel(payment.tid, 6_000)).toMatchObject({ resultCd: '2001', remaining: 4_000 });

    const overBalance = expectPaymentProblem(await cancel(h, payment.id, { reason: '부분 환불', amount: 5_000 }), 422);
    expect(overBalance).toMatchObject({ type: '/problems/gateway_refused', code: '2032' });
    expect(overBalance.gatewayMessage).toEqual(expect.any(String));
    expect(overBalance.payment.cancellations).toEqual([
      expect.objectContaining({ amount: 5_000, status: 'FAILED', failure: expect.objectContaining({ code: '2032' }) }),
    ]);
    expect(await getPayment(h, payment.id)).toMatchObject({
      status: 'APPROVED',
      cancelledAmount: 0,
      cancellableAmount: 10_000,
    });

    expect(await h.gateway.adminCancel(payment.tid, 4_000)).toMatchObject({ resultCd: '2001', remaining: 0 });
    const alreadyCancelled = await cancel(h, payment.id, { reason: '전체 환불' });
    expect(alreadyCancelled.response.status).toBe(422);
    expect(alreadyCancelled.error).toMatchObject({ type: '/problems/gateway_refused', code: '2004' });
    expect(await getPayment(h, payment.id)).toMatchObject({
      status: 'APPROVED',
      cancelledAmount: 0,
      cancellableAmount: 10_000,
    });

    const sent = await h.gateway.cancelsOf(payment.tid);
    expect(sent.map((r) => [r.fields.canAmt, r.fields.partCanFlg, r.resultCd])).toEqual([
      ['5000', '1', '2032'],
      ['10000', '0', '2004'],
    ]);
  });

  it('answers 202 to a cancel whose answer is lost after the gateway made it, keeps the amount reserved, and the janitor records it with the gateway tid without sending it again', async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    await h.gateway.fault('cancel', 'hang-after-processing');

    const answer = expectData(await cancel(h, payment.id, { reason: '응답 유실', amount: 3_000 }), 202);

    expect(answer).toMatchObject({ status: 'APPROVED', cancelledAmount: 0, cancellableAmount: 7_000 });
    expect(answer.cancellations).toEqual([expect.objectContaining({ amount: 3_000, status: 'UNKNOWN', tid: null })]);
    // Nothing more can be cancelled than what is not reserved.
    const over = await cancel(h, payment.id, { reason: '초과', amount: 7_001 });
    expect(over.response.status).toBe(422);

    await h.service.app.get(PaymentJanitor).runNow();

    const atGateway = await h.gateway.approvalFor(payment.orderId);
    expect(atGateway.remaining).toBe(7_000);
    const [made] = atGateway.cancellations;
    expect(await getPayment(h, payment.id)).toMatchObject({
      status: 'PARTIALLY_CANCELLED',
      cancelledAmount: 3_000,
      cancellableAmount: 7_000,
    });
    const stored = await cancellationRows(h.db, payment.id);
    expect(stored.map((c) => [c.amount, c.status, c.tid])).toEqual([[3_000, 'SUCCEEDED', made.tid]]);
    expect(await eventTypesOf(h, payment.id)).toEqual(['payment.approved', 'payment.partially_cancelled']);
    expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
    const queries = await h.gateway.requestsFor('query', payment.orderId);
    expect(queries.length).toBeGreaterThanOrEqual(1);
  });

  /**
   * What a process that died while its cancel was on the wire leaves behind: the amount reserved on
   * the payment and the cancellation PENDING (CancelService commits both before calling the gateway).
   */
  async function leaveCancelPending(payment: Payment, amount: number, createdAt: Date): Promise<void> {
    await h.service.app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE)).transaction(async (m) => {
      await m.update(PaymentEntity, { id: payment.id }, { pendingCancelAmount: amount });
      await m.insert(CancellationEntity, {
        id: newId('can'),
        paymentId: payment.id,
        tid: null,
        amount,
        partial: true,
        reason: '중단된 취소',
        status: 'PENDING',
        source: 'api',
        resolveAttempts: 0,
        createdAt,
      });
    });
  }

  it('leaves alone a PENDING cancel younger than a gateway call can last: it is still in flight', async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    await leaveCancelPending(payment, 2_500, new Date());

    await h.service.app.get(PaymentJanitor).runNow();

    expect((await cancellationRows(h.db, payment.id)).map((c) => c.status)).toEqual(['PENDING']);
    expect(await getPayment(h, payment.id)).toMatchObject({ cancelledAmount: 0, cancellableAmount: 7_500 });
  });

  it('answers 202 to a partial cancel the gateway never processed, keeps it reserved while asking again, never sends it twice, and releases it for a person once the attempts and the release window have run out', async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    await h.gateway.fault('cancel', 'hang-before-processing');

    const answer = expectData(await cancel(h, payment.id, { reason: '요청 유실', amount: 4_000 }), 202);

    expect(answer).toMatchObject({ status: 'APPROVED', cancellableAmount: 6_000 });
    expect(answer.cancellations).toEqual([expect.objectContaining({ amount: 4_000, status: 'UNKNOWN' })]);

    // "Not at the gateway" is never final at once: the gateway may still process it late.
    await sleep(TIMEOUT_MS + 1);
    const synced = expectData(await sync(h, payment.id), 200);
    expect(synced).toMatchObject({ status: 'APPROVED', cancelledAmount: 0, cancellableAmount: 6_000 });
    expect(synced.cancellations).toEqual([expect.objectContaining({ amount: 4_000, status: 'UNKNOWN', tid: null })]);

    const janitor = h.service.app.get(PaymentJanitor);
    for (let pass = 0; pass < h.service.config.janitor.maxAttempts; pass++) await janitor.runNow();
    // Asked often enough, but a cancel processed late must still find its reservation: flagged, still reserved.
    expect(await getPayment(h, payment.id)).toMatchObject({
      cancelledAmount: 0,
      cancellableAmount: 6_000,
      needsAttention: true,
    });

    await sleep(RELEASE_AFTER_MS);
    await janitor.runNow();
    const released = await getPayment(h, payment.id);
    expect(released).toMatchObject({
      status: 'APPROVED',
      cancelledAmount: 0,
      cancellableAmount: 10_000,
      needsAttention: true,
    });
    expect(await h.gateway.approvalFor(payment.orderId)).toMatchObject({ remaining: 10_000, cancellations: [] });
    expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);

    // The released amount can be cancelled for real afterwards.
    expectData(await cancel(h, payment.id, { reason: '다시 취소' }), 200);
    expect(await h.gateway.approvalFor(payment.orderId)).toMatchObject({ remaining: 0 });
  });

  it('sends a full cancel the gateway never processed again, as the same cancel: the balance is refunded once', async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    await h.gateway.fault('cancel', 'hang-before-processing');

    expectData(await cancel(h, payment.id, { reason: '요청 유실' }), 202);
    await sleep(TIMEOUT_MS + 1);
    const synced = expectData(await sync(h, payment.id), 200);

    expect(synced).toMatchObject({ status: 'CANCELLED', cancelledAmount: 10_000, cancellableAmount: 0 });
    const [gatewayCancel, ...more] = (await h.gateway.approvalFor(payment.orderId)).cancellations;
    expect(more).toEqual([]);
    expect(synced.cancellations).toEqual([
      expect.objectContaining({ amount: 10_000, status: 'SUCCEEDED', tid: gatewayCancel.tid }),
    ]);
    expect((await h.gateway.cancelsOf(payment.tid)).map((r) => r.fields.canAmt)).toEqual(['10000', '10000']);
  });
});
