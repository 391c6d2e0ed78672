import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { GatewayTestClient } from '@app/sandbox/testing/gateway-test-client';
import { installFaultInjector, type FaultPointName } from '../apps/payments/src/common/faults/fault-points';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';
import { PaymentJanitor } from '../apps/payments/src/payment/resolution/payment-janitor';
import { CancelResolverService } from '../apps/payments/src/payment/resolution/cancel-resolver.service';
import type { AppConfig } from '../apps/payments/src/config/app-config';
import { APP_CONFIG } from '../apps/payments/src/config/app-config.constants';
import type { BillingKey, CancelRequest, Payment } from '@app/payments-client';
import { expectData, expectProblem } from './support/api-client';
import { eventTypesOf, getPayment } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { billingKeyBid, cancellationRows, paymentRows } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';
import {
  chargesOf,
  getSubscription,
  givenSubscription,
  runDue,
  SCHEDULER_DRIVEN_BY_TEST,
} from './support/subscription-factories';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { eventually, sleep } from './support/waiting';

/** Short enough for a fast suite; the janitor counts a request abandoned only once it outlasts a gateway call. */
const TIMEOUT_MS = 400;
const STALE_AFTER_MS = 600;
/** The sandbox takes these requests, drops the connection, and processes them this long after they arrived. */
const LATE_MS = 1_500;
/** How long a decline after an unknown outcome is watched (the gateway's worst processing time) where notifications are lost. */
const WATCH_MS = 5_000;

/**
 * The money-loss classes of issue 13 that a gateway behaving as the guide allows can produce, each
 * checked against the sandbox's own ledger (what the gateway kept), not the service's view of itself.
 */
describe('money under faults', () => {
  let h: ServiceHarness;
  let janitor: PaymentJanitor;

  beforeAll(async () => {
    h = await startHarness({
      PAYSTORY_TIMEOUT_MS: String(TIMEOUT_MS),
      JANITOR_STALE_AFTER_MS: String(STALE_AFTER_MS),
      JANITOR_BACKOFF_MS: '0',
      IDEMPOTENCY_LEASE_MS: '1000',
      ...SCHEDULER_DRIVEN_BY_TEST,
    });
    janitor = h.service.app.get(PaymentJanitor);
  });
  afterEach(async () => {
    installFaultInjector(undefined);
    await h.gateway.clearFaults();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The named fault point throws once, for this subject only: to the code there, its database failed. */
  function throwOnceAt(point: FaultPointName, subject: string): void {
    let fired = false;
    installFaultInjector((p, s) => {
      if (fired || p !== point || s !== subject) return 'none';
      fired = true;
      return 'throw';
    });
  }

  async function approvedCharge(key: BillingKey, amount: number): Promise<Payment> {
    return expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount }) }), 201);
  }

  function cancel(paymentId: string, body: CancelRequest, idempotencyKey?: string) {
    return h.client.POST('/v1/payments/{id}/cancel', {
      params: { path: { id: paymentId }, header: { 'Idempotency-Key': idempotencyKey } },
      body,
    });
  }

  /** Runs the janitor until the payment has no cancel awaiting an answer. */
  async function settleCancels(paymentId: string): Promise<Payment> {
    return eventually(
      async () => {
        await janitor.runNow();
        return getPayment(h, paymentId);
      },
      (p) => p.cancelledAmount + p.cancellableAmount === p.amount,
      15_000,
      100,
    );
  }

  describe('a retried cancel', () => {
    it('refunds once when the gateway cancelled but the service failed to record it, and the client retries with the same Idempotency-Key', async () => {
      const key = await givenActiveBillingKey(h);
      const payment = await approvedCharge(key, 10_000);
      throwOnceAt('cancel.after-gateway', payment.orderId);
      const idempotencyKey = `cancel-${payment.id}`;

      const first = await cancel(payment.id, { reason: '부분 환불', amount: 3_000 }, idempotencyKey);
      expectProblem(first, 500);
      const retried = await cancel(payment.id, { reason: '부분 환불', amount: 3_000 }, idempotencyKey);

      // The retry finds the first cancel (bound to the key) and answers its state; it sends nothing.
      expect(expectData(retried, 202)).toMatchObject({ cancelledAmount: 0, cancellableAmount: 7_000 });
      expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);

      const settled = await settleCancels(payment.id);
      expect(settled).toMatchObject({
        status: 'PARTIALLY_CANCELLED',
        cancelledAmount: 3_000,
        cancellableAmount: 7_000,
      });
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({
        approved: 10_000,
        cancelled: 3_000,
        kept: 7_000,
      });
      expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
      // The retry's own answer is the key's answer from now on (CONTRACT.md "Idempotency"): replayed, nothing sent.
      const again = await cancel(payment.id, { reason: '부분 환불', amount: 3_000 }, idempotencyKey);
      expect([again.response.status, again.response.headers.get('idempotent-replayed')]).toEqual([202, 'true']);
      expect(again.data).toEqual(retried.data);
      expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
    });

    it('refunds once when the answer was computed but its Idempotency-Key record could not be completed', async () => {
      const key = await givenActiveBillingKey(h);
      const payment = await approvedCharge(key, 10_000);
      const idempotencyKey = `cancel-done-${payment.id}`;
      throwOnceAt('idempotency.before-complete', idempotencyKey);

      const first = await cancel(payment.id, { reason: '부분 환불', amount: 4_000 }, idempotencyKey);
      expectProblem(first, 500);
      const retried = await cancel(payment.id, { reason: '부분 환불', amount: 4_000 }, idempotencyKey);

      expect(expectData(retried, 200)).toMatchObject({
        status: 'PARTIALLY_CANCELLED',
        cancelledAmount: 4_000,
        cancellableAmount: 6_000,
      });
      expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({ cancelled: 4_000, kept: 6_000 });
    });

    it('refuses the same Idempotency-Key for another amount, sending nothing', async () => {
      const key = await givenActiveBillingKey(h);
      const payment = await approvedCharge(key, 10_000);
      const idempotencyKey = `cancel-other-${payment.id}`;
      throwOnceAt('idempotency.before-complete', idempotencyKey);
      expect((await cancel(payment.id, { reason: '환불', amount: 2_000 }, idempotencyKey)).response.status).toBe(500);

      const other = await cancel(payment.id, { reason: '환불', amount: 5_000 }, idempotencyKey);

      expectProblem(other, 409);
      expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({ cancelled: 2_000 });
    });
  });

  describe('a cancel the gateway processes late', () => {
    it('keeps its amount reserved while the gateway shows nothing, then records it once the gateway has processed it', async () => {
      const key = await givenActiveBillingKey(h);
      const payment = await approvedCharge(key, 10_000);
      await h.gateway.fault('cancel', 'late-processing', { ordNo: payment.orderId, delayMs: LATE_MS });

      expectData(await cancel(payment.id, { reason: '부분 환불', amount: 3_000 }), 202);
      await sleep(STALE_AFTER_MS);
      await janitor.runNow();

      // The gateway has no record yet: "never took place" would free 3,000 KRW for a second refund.
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({ cancelled: 0 });
      expect(await getPayment(h, payment.id)).toMatchObject({ cancelledAmount: 0, cancellableAmount: 7_000 });
      expect((await cancellationRows(h.db, payment.id)).map((c) => c.status)).toEqual(['UNKNOWN']);

      await h.gateway.settledLedger();
      const settled = await settleCancels(payment.id);
      const ledger = await h.gateway.ledgerFor(payment.orderId);
      expect(ledger).toMatchObject({ cancelled: 3_000, kept: 7_000 });
      expect(settled).toMatchObject({
        status: 'PARTIALLY_CANCELLED',
        cancelledAmount: 3_000,
        cancellableAmount: 7_000,
      });
      expect((await cancellationRows(h.db, payment.id)).map((c) => [c.status, c.tid])).toEqual([
        ['SUCCEEDED', ledger?.cancels[0].tid],
      ]);
      expect(await h.gateway.cancelsOf(payment.tid)).toHaveLength(1);
    });
  });

  describe('a cancel the gateway shows only after the resolver has spent its attempts', () => {
    it('flags the payment for a person and keeps asking, so the late cancel is still recorded', async () => {
      const key = await givenActiveBillingKey(h);
      const payment = await approvedCharge(key, 10_000);
      await h.gateway.fault('cancel', 'late-processing', { ordNo: payment.orderId, delayMs: LATE_MS });
      expectData(await cancel(payment.id, { reason: '부분 환불', amount: 4_000 }), 202);

      // Every attempt spent while the gateway does not show the cancel yet (no backoff here).
      const resolver = h.service.app.get(CancelResolverService);
      const { maxAttempts } = h.service.app.get<AppConfig>(APP_CONFIG).janitor;
      for (let i = 0; i <= maxAttempts; i++) await resolver.resolveDue(new Date());
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({ cancelled: 0 });
      expect(await getPayment(h, payment.id)).toMatchObject({ needsAttention: true, cancelledAmount: 0 });
      const [asked] = await h.db.query<{ next_resolve_at: unknown }>(
        'SELECT next_resolve_at FROM cancellations WHERE payment_id = ?',
        payment.id,
      );
      expect(asked.next_resolve_at).not.toBeNull();

      await h.gateway.settledLedger();
      expect(await settleCancels(payment.id)).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancelledAmount: 4_000 });
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({ cancelled: 4_000, kept: 6_000 });
    });
  });

  describe('a charge the gateway processes late', () => {
    it('charges a subscription period once: the same order is sent again, and the late request is refused as a duplicate', async () => {
      const key = await givenActiveBillingKey(h);
      const subscription = await givenSubscription(h, {
        customerId: key.customerId,
        billingKeyId: key.id,
        amount: 4_446,
        goodsName: '월간 구독',
        interval: 'monthly',
      });
      await h.gateway.fault('charge', 'late-processing', {
        ordNo: attemptOrderId(subscription.id, 0, 0),
        delayMs: LATE_MS,
      });

      await runDue(h, new Date());
      await sleep(STALE_AFTER_MS);
      await janitor.runNow();
      await h.gateway.settledLedger();
      await janitor.runNow();
      // The scheduler looks at a period whose charge was unknown again after the janitor's interval.
      await runDue(h, new Date(Date.now() + 60_000));

      // Every order period 0 could ever be charged under (one per attempt): one kept 4,446 KRW, no other exists.
      const periodZeroOrders = [0, 1, 2, 3, 4].map((attempt) => attemptOrderId(subscription.id, 0, attempt));
      const kept = (await h.gateway.ledger()).orders.filter((o) => periodZeroOrders.includes(o.ordNo));
      expect(kept.map((o) => [o.ordNo, o.kept])).toEqual([[periodZeroOrders[0], 4_446]]);
      const attempts = await chargesOf(h, subscription.id);
      expect(attempts.filter((c) => c.period === 0).map((c) => [c.attempt, c.status, c.amount])).toEqual([
        [0, 'APPROVED', 4_446],
      ]);
      expect(await getSubscription(h, subscription.id)).toMatchObject({ status: 'ACTIVE' });
    });

    it('cancels an API charge reported DECLINED that the gateway approves later, and the client retrying under a new key pays once', async () => {
      const key = await givenActiveBillingKey(h);
      const orderId = `late-${key.id}`;
      // First request: processed late. Its resend (once the query finds nothing): declined by the card company.
      await h.gateway.fault('charge', 'late-processing', { ordNo: orderId, delayMs: LATE_MS * 2 });
      const lost = expectData(
        await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 8_000, orderId }) }),
        202,
      );
      await h.gateway.fault('charge', 'decline', { ordNo: orderId, code: '3002' });
      await sleep(STALE_AFTER_MS);
      await janitor.runNow();
      expect(await getPayment(h, lost.id)).toMatchObject({ status: 'DECLINED', failure: { code: '3002' } });

      const retried = expectData(
        await h.client.POST('/v1/payments', {
          params: { header: { 'Idempotency-Key': `retry-${orderId}` } },
          body: chargeRequest(key.id, { amount: 8_000 }),
        }),
        201,
      );
      await h.gateway.settledLedger();
      // The gateway's notification of the late approval (or the next sync) brings it in.
      const undone = await eventually(
        async () => {
          await h.client.POST('/v1/payments/{id}/sync', { params: { path: { id: lost.id } } });
          return getPayment(h, lost.id);
        },
        (p) => p.status === 'CANCELLED',
        15_000,
        200,
      );

      expect(undone).toMatchObject({
        status: 'CANCELLED',
        amount: 8_000,
        cancelledAmount: 8_000,
        needsAttention: true,
      });
      expect(await h.gateway.ledgerFor(orderId)).toMatchObject({ approved: 8_000, cancelled: 8_000, kept: 0 });
      expect(await h.gateway.ledgerFor(retried.orderId)).toMatchObject({ approved: 8_000, kept: 8_000 });
      expect(await eventTypesOf(h, lost.id)).toEqual(
        expect.arrayContaining(['payment.declined', 'payment.approved', 'payment.late_approval_cancelled']),
      );
    });
  });

  describe('a charge the gateway processes late, with its notifications lost', () => {
    let lost: ServiceHarness;
    beforeAll(async () => {
      lost = await startHarness({
        PAYSTORY_TIMEOUT_MS: String(TIMEOUT_MS),
        JANITOR_STALE_AFTER_MS: String(STALE_AFTER_MS),
        JANITOR_BACKOFF_MS: '0',
        // The gateway's worst processing time, as far as the watch of a decline is concerned.
        JANITOR_CANCEL_RELEASE_AFTER_MS: String(WATCH_MS),
        PUBLIC_BASE_URL: UNREACHABLE_URL,
        ...SCHEDULER_DRIVEN_BY_TEST,
      });
    });
    afterAll(async () => {
      await lost?.close();
    });

    /**
     * A charge whose first request meets `firstFault` at the gateway (its answer lost), sent again by the
     * janitor once stale, and that resend declined (3002): the payment as the janitor's pass left it, DECLINED.
     */
    async function declinedOnResend(
      prefix: string,
      amount: number,
      firstFault: 'late-processing' | 'hang-before-processing',
      faultOptions: { delayMs?: number } = {},
    ) {
      const key = await givenActiveBillingKey(lost);
      const orderId = `${prefix}-${key.id}`;
      await lost.gateway.fault('charge', firstFault, { ordNo: orderId, ...faultOptions });
      const charged = expectData(
        await lost.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount, orderId }) }),
        202,
      );
      await lost.gateway.fault('charge', 'decline', { ordNo: orderId, code: '3002' });
      await sleep(STALE_AFTER_MS);
      await lost.service.app.get(PaymentJanitor).runNow();
      expect(await getPayment(lost, charged.id)).toMatchObject({ status: 'DECLINED', failure: { code: '3002' } });
      return { orderId, charged };
    }

    it('keeps asking after the resend is declined, and cancels the first request approved late', async () => {
      // First request: processed late. Its resend (once the query finds nothing): declined by the card company.
      const { orderId, charged } = await declinedOnResend('lost', 6_000, 'late-processing', { delayMs: LATE_MS });
      const janitorOfLost = lost.service.app.get(PaymentJanitor);

      // No notification comes: the janitor's own queries find the late approval and cancel it.
      await lost.gateway.settledLedger();
      const undone = await eventually(
        async () => {
          await janitorOfLost.runNow();
          return getPayment(lost, charged.id);
        },
        (p) => p.status === 'CANCELLED',
        15_000,
        200,
      );

      expect(undone).toMatchObject({ status: 'CANCELLED', amount: 6_000, cancelledAmount: 6_000 });
      expect(await lost.gateway.ledgerFor(orderId)).toMatchObject({ approved: 6_000, cancelled: 6_000, kept: 0 });
      expect(await eventTypesOf(lost, charged.id)).toEqual(
        expect.arrayContaining(['payment.declined', 'payment.approved', 'payment.late_approval_cancelled']),
      );
      // Nothing more to watch: the order's answer is final.
      const [row] = await paymentRows(lost.db, 'id = ?', charged.id);
      expect(row.next_resolve_at).toBeNull();
    });

    it('asks again while the watch lasts, then takes the decline as final once the worst processing time has passed', async () => {
      // First request: held, never processed. Its resend: declined.
      const { orderId, charged } = await declinedOnResend('w', 7_000, 'hang-before-processing');
      const janitorOfLost = lost.service.app.get(PaymentJanitor);
      const watched = (await paymentRows(lost.db, 'id = ?', charged.id))[0];
      expect(watched.next_resolve_at).not.toBeNull();

      const settled = await eventually(
        async () => {
          await janitorOfLost.runNow();
          return (await paymentRows(lost.db, 'id = ?', charged.id))[0];
        },
        (row) => row.next_resolve_at === null,
        WATCH_MS + 10_000,
        200,
      );

      expect(settled).toMatchObject({ status: 'DECLINED', failure_code: '3002' });
      // Asked before the resend, then again while watched; nothing kept at the gateway.
      expect((await lost.gateway.requestsFor('query', orderId)).length).toBeGreaterThan(2);
      expect(await lost.gateway.ledgerFor(orderId)).toBeUndefined();
    });
  });

  describe("reading the gateway's answer", () => {
    it("takes a success code that is not the charge's (F000) for an unknown outcome, confirmed by query, never a decline", async () => {
      const key = await givenActiveBillingKey(h);
      const orderId = `f000-${key.id}`;
      await h.gateway.fault('charge', 'answer-code-after-processing', { ordNo: orderId, code: 'F000' });

      const answered = expectData(
        await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 6_000, orderId }) }),
        202,
      );
      expect(answered).toMatchObject({ status: 'UNKNOWN', failure: null });
      await janitor.runNow();

      const ledger = await h.gateway.ledgerFor(orderId);
      expect(ledger).toMatchObject({ approved: 6_000, kept: 6_000 });
      expect(await getPayment(h, answered.id)).toMatchObject({
        status: 'APPROVED',
        amount: 6_000,
        tid: ledger?.tid,
      });
      expect(await h.gateway.chargesFor(orderId)).toHaveLength(1);
    });

    it("confirms a charge refused as a duplicate order (9998) by query: the approval already at the gateway is this order's", async () => {
      const key = await givenActiveBillingKey(h);
      const orderId = `dup-${key.id}`;
      // The gateway already approved this order (a request this service never saw answered, e.g. before a restore).
      const gateway = new GatewayTestClient(h.gatewayUrl, SANDBOX_MERCHANTS.card);
      expect((await gateway.charge(await billingKeyBid(h.db, key.id), 7_000, { ordNo: orderId })).resultCd).toBe(
        '3001',
      );

      const charged = await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 7_000, orderId }) });

      const payment = expectData(charged, 201);
      const ledger = await h.gateway.ledgerFor(orderId);
      expect(ledger).toMatchObject({ approved: 7_000, kept: 7_000 });
      expect(payment).toMatchObject({ status: 'APPROVED', amount: 7_000, tid: ledger?.tid, failure: null });
      expect((await h.gateway.chargesFor(orderId)).map((r) => r.resultCd)).toEqual(['3001', '9998']);
    });

    it('holds a subscription refused with 9998 (our request is wrong) for a person instead of dunning the customer', async () => {
      const key = await givenActiveBillingKey(h);
      const created = await givenSubscription(h, {
        customerId: key.customerId,
        billingKeyId: key.id,
        amount: 5_500,
        goodsName: '월간 구독',
        interval: 'monthly',
      });
      await h.gateway.fault('charge', 'decline', { ordNo: attemptOrderId(created.id, 0, 0), code: '9998' });

      await runDue(h, new Date());

      const [attempt] = await chargesOf(h, created.id);
      expect(attempt).toMatchObject({ attempt: 0, status: 'DECLINED', failureCode: '9998' });
      expect(await getPayment(h, attempt.paymentId ?? '')).toMatchObject({ status: 'DECLINED', needsAttention: true });
      const held = await getSubscription(h, created.id);
      expect(held.status).not.toMatch(/PAST_DUE|UNPAID/);
      expect(held.nextChargeAt).toBeNull();
      expect(await eventTypesOf(h, created.id)).not.toEqual(expect.arrayContaining(['subscription.past_due']));
      expect(await h.gateway.ledgerFor(attemptOrderId(created.id, 0, 0))).toBeUndefined();
    });
  });
});
