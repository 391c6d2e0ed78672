import { NotificationIntakeService } from '../apps/payments/src/notification/notification-intake.service';
import type { PaymentBody, ProblemBody } from './support/api-bodies';
import type { Payment } from '@app/payments-client';
import { expectData } from './support/api-client';
import { eventsOf, eventTypesOf, getPayment, paymentsForOrder } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey, givenApprovedPayment } from './support/billing-fixtures';
import { cancellationRows } from './support/database-reader';
import { NotificationGate } from './support/notification-gate';
import {
  gatewayClient,
  notificationRows,
  NOTIFICATION_PATH,
  postNotification,
  postNotificationForm,
  settledRows,
  signedNotification,
  withForgedHash,
} from './support/notification-factories';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { eventually, sleep } from './support/waiting';

const JSON_ACK = '{"resultCd":"0000"}';
/**
 * Long enough for every call while 50 deliveries load the one process that runs the test, the
 * service and the sandbox (on a busy 2-core machine too), so that no query is timed out and retried;
 * a charge whose answer is held still becomes UNKNOWN when the sandbox drops it (hangMs, 1.5 s).
 */
const GATEWAY_TIMEOUT_MS = '2000';

describe('gateway notifications (§10): POST /v1/notifications/paystory', () => {
  const gate = new NotificationGate();
  let h: ServiceHarness;

  beforeAll(async () => {
    // The service hands the gateway the gate as its notiUrl; the gate relays to the service.
    h = await startHarness(
      { PUBLIC_BASE_URL: await gate.start(), PAYSTORY_TIMEOUT_MS: GATEWAY_TIMEOUT_MS },
      { sandbox: { notiRetryDelaysMs: [200, 200, 200], hangMs: 1_500 } },
    );
    gate.target = h.service.url;
  });
  afterEach(() => gate.releaseAll());
  afterAll(async () => {
    await h?.close();
    await gate.stop();
  });

  /** A charge through the service whose answer the gateway never sends (approved there): 202 UNKNOWN. */
  async function givenUnknownPayment(amount: number): Promise<Payment> {
    const key = await givenActiveBillingKey(h);
    await h.gateway.fault('charge', 'hang-after-processing');
    const payment = expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount }) }), 202);
    expect(payment.status).toBe('UNKNOWN');
    return payment;
  }

  describe('a genuine notification', () => {
    it('is acknowledged with {"resultCd":"0000"} and resolves an UNKNOWN charge at once, without the janitor', async () => {
      gate.hold();
      const payment = await givenUnknownPayment(15_000);
      const approval = await h.gateway.approvalFor(payment.orderId);
      const delivery = await gate.take((f) => f.tid === approval.tid);

      const answer = await delivery.release();

      expect(answer).toMatchObject({ status: 200, body: JSON_ACK });
      expect(answer.contentType).toContain('application/json');
      const approved = await eventually(
        () => getPayment(h, payment.id),
        (p) => p.status === 'APPROVED',
      );
      expect(approved).toMatchObject({
        tid: approval.tid,
        amount: 15_000,
        cancelledAmount: 0,
        cancellableAmount: 15_000,
        approvalNo: approval.appNo,
      });
      expect(await eventTypesOf(h, payment.id)).toEqual(['payment.unknown', 'payment.approved']);
      expect(await settledRows(h, approval.tid)).toEqual([
        expect.objectContaining({ status: 'APPLIED', deliveries: 1, order_no: payment.orderId }),
      ]);
    });

    it('records a cancel made in the gateway admin console as a cancellation from the gateway, with the balance', async () => {
      const payment = await givenApprovedPayment(h, 10_000);

      const partialTid = (await h.gateway.adminCancel(String(payment.tid), 3_000)).tid;
      const partial = await eventually(
        () => getPayment(h, payment.id),
        (p) => p.status === 'PARTIALLY_CANCELLED',
      );
      expect(partial).toMatchObject({ amount: 10_000, cancelledAmount: 3_000, cancellableAmount: 7_000 });

      const restTid = (await h.gateway.adminCancel(String(payment.tid))).tid;
      const cancelled = await eventually(
        () => getPayment(h, payment.id),
        (p) => p.status === 'CANCELLED',
      );
      expect(cancelled).toMatchObject({ amount: 10_000, cancelledAmount: 10_000, cancellableAmount: 0 });
      expect(await cancellationRows(h.db, payment.id)).toEqual([
        { tid: partialTid, amount: 3_000, status: 'SUCCEEDED', source: 'gateway' },
        { tid: restTid, amount: 7_000, status: 'SUCCEEDED', source: 'gateway' },
      ]);
      const events = await eventsOf(h, payment.id);
      expect(events.map((e) => e.type)).toEqual([
        'payment.approved',
        'payment.partially_cancelled',
        'payment.cancelled',
      ]);
      expect(events[2].data.cancellations?.map(({ tid, amount, source }) => ({ tid, amount, source }))).toEqual([
        { tid: partialTid, amount: 3_000, source: 'gateway' },
        { tid: restTid, amount: 7_000, source: 'gateway' },
      ]);
    });

    it('matches a partial-cancel notification to its payment by oTid when it names no order', async () => {
      const payment = await givenApprovedPayment(h, 20_000);
      gate.hold();
      const cancelTid = (await h.gateway.adminCancel(String(payment.tid), 4_000)).tid;
      const delivery = await gate.take((f) => f.tid === cancelTid);
      const { ordNo, ...withoutOrder } = delivery.fields;
      expect(ordNo).toBe(payment.orderId);
      expect(withoutOrder.oTid).toBe(payment.tid);

      expect(await postNotificationForm(h, withoutOrder)).toMatchObject({ status: 200, body: JSON_ACK });

      await settledRows(h, cancelTid);
      expect(await getPayment(h, payment.id)).toMatchObject({
        status: 'PARTIALLY_CANCELLED',
        cancelledAmount: 4_000,
        cancellableAmount: 16_000,
      });
      expect(await cancellationRows(h.db, payment.id)).toEqual([
        { tid: cancelTid, amount: 4_000, status: 'SUCCEEDED', source: 'gateway' },
      ]);
      // The gateway's own delivery (with ordNo) comes later: acknowledged, and the cancel is not counted twice.
      expect(await delivery.release()).toMatchObject({ status: 200, body: JSON_ACK });
      await settledRows(h, cancelTid, 2);
      expect(await getPayment(h, payment.id)).toMatchObject({ cancelledAmount: 4_000 });
      expect(await eventTypesOf(h, payment.id)).toEqual(['payment.approved', 'payment.partially_cancelled']);
    });

    it('creates the payment the service never saw, once the gateway confirms it', async () => {
      const gateway = gatewayClient(h);
      const bid = await gateway.billingKey();
      const charge = await gateway.charge(bid, 12_000, {
        goodsNm: '외부 결제',
        notiUrl: `${h.service.url}${NOTIFICATION_PATH}`,
      });
      expect(charge.resultCd).toBe('3001');

      const [created] = await eventually(
        () => paymentsForOrder(h, String(charge.ordNo)),
        (found) => found.length > 0,
      );

      expect(created).toMatchObject({
        orderId: charge.ordNo,
        tid: charge.tid,
        status: 'APPROVED',
        amount: 12_000,
        cancellableAmount: 12_000,
        goodsName: '외부 결제',
      });
      await settledRows(h, String(charge.tid));
      expect(await paymentsForOrder(h, String(charge.ordNo))).toHaveLength(1);
      expect(await eventTypesOf(h, created.id)).toEqual(['payment.approved']);
    });

    it('creates nothing for a well-signed notification of a payment the gateway does not hold', async () => {
      // The hash covers mid, ediDate and goodsAmt only: tid and ordNo can be anything (NOTES 4).
      const fields = signedNotification({
        tid: 'sandbox01m01012699999999999999',
        oTid: 'sandbox01m01012699999999999999',
        ordNo: 'never-charged-1',
        goodsAmt: '50000',
        resultCd: '3001',
        cancelYN: 'N',
        payMethod: 'CARD',
      });

      expect(await postNotificationForm(h, fields)).toMatchObject({ status: 200, body: JSON_ACK });

      const [row] = await eventually(
        () => notificationRows(h, fields.tid),
        (rows) => rows[0]?.status === 'AWAITING_CONFIRMATION',
      );
      expect(row.reason).toMatch(/transaction query/i);
      expect((await h.gateway.requestsFor('query', 'never-charged-1')).length).toBe(1);
      expect(await paymentsForOrder(h, 'never-charged-1')).toEqual([]);
    });
  });

  describe('a forged notification', () => {
    it('is refused with 400 problem+json, stored as REJECTED and never applied', async () => {
      gate.hold();
      const payment = await givenUnknownPayment(9_000);
      const approval = await h.gateway.approvalFor(payment.orderId);
      const genuine = await gate.take((f) => f.tid === approval.tid);
      const intake = h.service.app.get(NotificationIntakeService);
      const rejectedBefore = intake.rejected;

      const forged = await postNotificationForm(h, withForgedHash(genuine.fields));
      const tampered = await postNotificationForm(h, { ...genuine.fields, goodsAmt: '90000' });

      for (const answer of [forged, tampered]) {
        expect(answer.status).toBe(400);
        expect(answer.contentType).toContain('application/problem+json');
        expect(JSON.parse(answer.body) as ProblemBody).toMatchObject({ status: 400 });
        expect(answer.body).not.toContain('0000');
      }
      const rows = await notificationRows(h, approval.tid);
      expect(rows).toEqual([
        expect.objectContaining({ status: 'REJECTED', reason: expect.stringMatching(/hash/i) }),
        expect.objectContaining({ status: 'REJECTED', reason: expect.stringMatching(/hash/i) }),
      ]);
      expect(intake.rejected).toBe(rejectedBefore + 2);
      await sleep(200);
      expect(await getPayment(h, payment.id)).toMatchObject({ status: 'UNKNOWN', tid: null });
      expect((await h.gateway.requestsFor('query', payment.orderId)).length).toBe(0);

      // The genuine delivery of the same approval is applied: the forged ones were refused for their hash alone.
      expect(await genuine.release()).toMatchObject({ status: 200, body: JSON_ACK });
      await eventually(
        () => getPayment(h, payment.id),
        (p) => p.status === 'APPROVED',
      );
    });
  });

  describe('repeats and races', () => {
    it.each([
      ['an approval that resolves an UNKNOWN charge', 'approval', 'payment.approved', 0],
      ['a partial cancel made in the gateway admin', 'cancel', 'payment.partially_cancelled', 5_000],
    ] as const)(
      '50 concurrent deliveries of %s: every one acknowledged, stored once, applied once',
      async (_title, kind, eventType, cancelledAmount) => {
        gate.hold();
        const payment = kind === 'approval' ? await givenUnknownPayment(30_000) : await givenApprovedPayment(h, 30_000);
        const tid =
          kind === 'approval'
            ? (await h.gateway.approvalFor(payment.orderId)).tid
            : (await h.gateway.adminCancel(String(payment.tid), 5_000)).tid;
        const delivery = await gate.take((f) => f.tid === tid);

        // The gateway's own delivery and 49 copies of its bytes, all at once.
        const answers = await Promise.all([
          delivery.release(),
          ...Array.from({ length: 49 }, () => postNotification(h, delivery.body, delivery.contentType)),
        ]);

        expect(answers.map((a) => `${a.status} ${a.body}`)).toEqual(Array(50).fill(`200 ${JSON_ACK}`));
        expect(await settledRows(h, tid)).toEqual([expect.objectContaining({ status: 'APPLIED', deliveries: 50 })]);
        expect((await h.gateway.requestsFor('query', payment.orderId)).length).toBe(1);
        expect((await eventTypesOf(h, payment.id)).filter((t) => t === eventType)).toHaveLength(1);
        expect(await getPayment(h, payment.id)).toMatchObject({
          amount: 30_000,
          cancelledAmount,
          cancellableAmount: 30_000 - cancelledAmount,
        });
      },
    );

    it('approvals of 12 payments posted at once, each twice and with a forged one among them: each stored once and applied, the forged one refused', async () => {
      gate.hold();
      const payments = await Promise.all(Array.from({ length: 12 }, (_, i) => givenApprovedPayment(h, 11_000 + i)));
      const approvalOf = (p: PaymentBody) =>
        signedNotification({
          tid: String(p.tid),
          ordNo: p.orderId,
          goodsAmt: String(p.amount),
          resultCd: '3001',
          cancelYN: 'N',
          payMethod: 'CARD',
        });
      const forged = withForgedHash({ ...approvalOf(payments[0]), goodsAmt: '99000' });

      const [refused, ...answers] = await Promise.all([
        postNotificationForm(h, forged),
        ...payments.flatMap((p) => [postNotificationForm(h, approvalOf(p)), postNotificationForm(h, approvalOf(p))]),
      ]);

      expect(refused.status).toBe(400);
      expect(answers.map((a) => `${a.status} ${a.body}`)).toEqual(Array(24).fill(`200 ${JSON_ACK}`));
      for (const p of payments) {
        const forgedToo = p === payments[0];
        const rows = await settledRows(h, String(p.tid), forgedToo ? 2 : 1);
        const stored = rows.map(({ status, deliveries }) => ({ status, deliveries }));
        expect(stored.sort((x, y) => x.status.localeCompare(y.status))).toEqual([
          { status: 'APPLIED', deliveries: 2 },
          ...(forgedToo ? [{ status: 'REJECTED', deliveries: 1 }] : []),
        ]);
        expect((await h.gateway.requestsFor('query', p.orderId)).length).toBe(0);
        expect(await getPayment(h, p.id)).toMatchObject({ status: 'APPROVED', amount: p.amount, tid: p.tid });
      }
    });

    it.each([
      ['cancel notifications before the approval, for a charge the service left UNKNOWN', 'unknown'],
      ['cancel notifications before the approval, for an order the service never saw', 'unseen'],
    ])('%s: the end state is the gateway’s', async (_title, origin) => {
      gate.hold();
      let orderNo: string;
      if (origin === 'unknown') {
        orderNo = (await givenUnknownPayment(40_000)).orderId;
      } else {
        const gateway = gatewayClient(h);
        // The gateway sends the approval to the gate too, so that it can be held back.
        const charge = await gateway.charge(await gateway.billingKey(), 40_000, {
          notiUrl: `${gate.url}${NOTIFICATION_PATH}`,
        });
        orderNo = String(charge.ordNo);
      }
      const approvalTid = (await h.gateway.approvalFor(orderNo)).tid;
      const firstCancel = (await h.gateway.adminCancel(approvalTid, 6_000)).tid;
      const secondCancel = (await h.gateway.adminCancel(approvalTid, 2_500)).tid;
      const approvalNoti = await gate.take((f) => f.tid === approvalTid);
      const firstNoti = await gate.take((f) => f.tid === firstCancel);
      const secondNoti = await gate.take((f) => f.tid === secondCancel);

      for (const delivery of [secondNoti, firstNoti, approvalNoti])
        expect(await delivery.release()).toMatchObject({ status: 200, body: JSON_ACK });

      for (const tid of [secondCancel, firstCancel, approvalTid])
        expect(await settledRows(h, tid)).toEqual([expect.objectContaining({ status: 'APPLIED' })]);
      const truth = await h.gateway.approvalFor(orderNo);
      const [payment] = await paymentsForOrder(h, orderNo);
      expect({
        status: payment.status,
        amount: payment.amount,
        cancelledAmount: payment.cancelledAmount,
        cancellableAmount: payment.cancellableAmount,
        tid: payment.tid,
      }).toEqual({
        status: 'PARTIALLY_CANCELLED',
        amount: truth.amount,
        cancelledAmount: truth.cancelledAmount,
        cancellableAmount: truth.remaining,
        tid: truth.tid,
      });
      expect(truth).toMatchObject({ status: 'partially_cancelled', remaining: 31_500 });
      expect((await cancellationRows(h.db, payment.id)).map((c) => [c.tid, c.amount]).sort()).toEqual(
        truth.cancellations.map((c) => [c.tid, c.amount]).sort(),
      );
    });

    it.each([
      ['arrives while the charge is still waiting for its answer', 'notification-first'],
      ['arrives after the charge has its answer', 'answer-first'],
      ['arrives at the same time as the answer', 'together'],
    ])('a notification that %s changes the payment once', async (_title, order) => {
      if (order === 'answer-first') gate.hold();
      const key = await givenActiveBillingKey(h);
      if (order === 'notification-first') {
        // The gateway approves and notifies, then holds its answer until the service times out.
        await h.gateway.fault('charge', 'hang-after-processing');
      }
      const charged = expectData(
        await h.client.POST('/v1/payments', {
          body: chargeRequest(key.id, { amount: 25_000, goodsName: '경합 테스트' }),
        }),
        201,
      );
      expect(charged.status).toBe('APPROVED');
      const tid = String(charged.tid);
      if (order === 'answer-first')
        expect(await (await gate.take((f) => f.tid === tid)).release()).toMatchObject({ status: 200, body: JSON_ACK });

      await settledRows(h, tid);
      expect(await eventTypesOf(h, charged.id)).toEqual(['payment.approved']);
      expect(await getPayment(h, charged.id)).toMatchObject({ status: 'APPROVED', tid, amount: 25_000 });
    });

    it.each([
      ['arrives while the cancel is still waiting for its answer', 'notification-first'],
      ['arrives after the cancel has its answer', 'answer-first'],
    ])(
      'the notification of a cancel made through the API that %s is counted once, as the API’s',
      async (_title, order) => {
        const payment = await givenApprovedPayment(h, 18_000);
        if (order === 'answer-first') gate.hold();
        else await h.gateway.fault('cancel', 'hang-after-processing');

        const cancelled = await h.client.POST('/v1/payments/{id}/cancel', {
          params: { path: { id: payment.id } },
          body: { reason: '고객 요청', amount: 5_000 },
        });
        const [cancel] = (await h.gateway.approvalFor(payment.orderId)).cancellations;
        if (order === 'answer-first')
          expect(await (await gate.take((f) => f.tid === cancel.tid)).release()).toMatchObject({
            status: 200,
            body: JSON_ACK,
          });

        expect(cancelled.response.status).toBe(order === 'answer-first' ? 200 : 202);
        await settledRows(h, cancel.tid);
        expect(await getPayment(h, payment.id)).toMatchObject({
          status: 'PARTIALLY_CANCELLED',
          cancelledAmount: 5_000,
          cancellableAmount: 13_000,
        });
        expect(await cancellationRows(h.db, payment.id)).toEqual([
          { tid: cancel.tid, amount: 5_000, status: 'SUCCEEDED', source: 'api' },
        ]);
        expect(await eventTypesOf(h, payment.id)).toEqual(['payment.approved', 'payment.partially_cancelled']);
      },
    );

    it('a notification that arrives while a sync of the same UNKNOWN charge asks the gateway changes it once', async () => {
      gate.hold();
      const payment = await givenUnknownPayment(26_000);
      const approval = await h.gateway.approvalFor(payment.orderId);
      const delivery = await gate.take((f) => f.tid === approval.tid);

      const [answer, synced] = await Promise.all([
        delivery.release(),
        h.client.POST('/v1/payments/{id}/sync', { params: { path: { id: payment.id } } }),
      ]);

      expect(answer).toMatchObject({ status: 200, body: JSON_ACK });
      expect(expectData(synced, 200)).toMatchObject({ status: 'APPROVED', tid: approval.tid });
      await settledRows(h, approval.tid);
      expect(await eventTypesOf(h, payment.id)).toEqual(['payment.unknown', 'payment.approved']);
    });
  });

  describe('bodies', () => {
    it('reads an EUC-KR form with Hangul fields', async () => {
      const gateway = gatewayClient(h);
      const charge = await gateway.charge(
        await gateway.billingKey(),
        8_000,
        { goodsNm: '프리미엄 구독', ordNm: '홍길동', notiUrl: `${h.service.url}${NOTIFICATION_PATH}` },
        'EUC-KR',
      );
      const tid = String(charge.tid);

      const [row] = await settledRows(h, tid);
      expect(row.status).toBe('APPLIED');
      expect(JSON.parse(row.fields)).toMatchObject({ goodsName: '프리미엄 구독', ordNm: '홍길동', goodsAmt: '8000' });
      expect(
        (await h.gateway.deliveriesOf(tid)).map(({ attempt, status, acked, charset }) => ({
          attempt,
          status,
          acked,
          charset,
        })),
      ).toEqual([{ attempt: 1, status: 200, acked: true, charset: 'EUC-KR' }]);
    });

    it('accepts the fields as a JSON object', async () => {
      const payment = await givenApprovedPayment(h, 11_000);
      gate.hold();
      const cancelTid = (await h.gateway.adminCancel(String(payment.tid), 1_000)).tid;
      const delivery = await gate.take((f) => f.tid === cancelTid);

      expect(await postNotification(h, JSON.stringify(delivery.fields), 'application/json')).toMatchObject({
        status: 200,
        body: JSON_ACK,
      });

      await settledRows(h, cancelTid);
      expect(await getPayment(h, payment.id)).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancelledAmount: 1_000 });
      // The same notification as a form afterwards is a repeat of the JSON one.
      await delivery.release();
      expect(await notificationRows(h, cancelTid)).toEqual([expect.objectContaining({ deliveries: 2 })]);
    });

    it('refuses a body that is neither a form nor a JSON object with 400', async () => {
      const answer = await postNotification(h, '[1,2,3]', 'application/json');

      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
    });
  });
});
