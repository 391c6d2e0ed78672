import { toSeoulStamp } from '@app/paystory';
import { RejectedNotificationSweeper } from '../apps/payments/src/notification/rejected-notification-sweeper';
import type { ProblemBody } from './support/api-bodies';
import { expectData } from './support/api-client';
import { getPayment } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey, givenApprovedPayment } from './support/billing-fixtures';
import {
  notificationRows,
  postNotificationForm,
  settledRows,
  approvalNotification,
  signedNotification,
  withForgedHash,
  type NotificationAnswer,
} from './support/notification-factories';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { sleep } from './support/waiting';

const JSON_ACK = '{"resultCd":"0000"}';
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** An ediDate `minutes` before now, as the gateway stamps it (Asia/Seoul). */
function ediDateMinutesAgo(minutes: number): string {
  return toSeoulStamp(new Date(Date.now() - minutes * MINUTE_MS));
}

function expectRefused(answer: NotificationAnswer, field: string): void {
  expect(answer.status).toBe(400);
  expect(answer.contentType).toContain('application/problem+json');
  expect(answer.body).not.toContain('0000');
  expect((JSON.parse(answer.body) as ProblemBody).errors).toEqual([expect.objectContaining({ field })]);
}

async function storedSources(h: ServiceHarness, tid: string): Promise<string[]> {
  const rows = await h.db.query<{ source_ip: string }>(
    'SELECT source_ip FROM gateway_notifications WHERE tid = ?',
    tid,
  );
  return rows.map((r) => r.source_ip);
}

describe('notification source behind a load balancer (TRUST_PROXY, PAYSTORY_NOTI_ALLOW)', () => {
  const harnesses: ServiceHarness[] = [];
  afterAll(() => Promise.all(harnesses.map((h) => h.close())));

  async function harness(env: Record<string, string>): Promise<ServiceHarness> {
    const h = await startHarness(env);
    harnesses.push(h);
    return h;
  }

  function genuine(tid: string): Record<string, string> {
    return signedNotification({
      tid,
      ordNo: `proxy-${tid.slice(-4)}`,
      goodsAmt: '5000',
      resultCd: '3001',
      cancelYN: 'N',
    });
  }

  it('with TRUST_PROXY=loopback, judges the client the balancer names in X-Forwarded-For, by address or subnet', async () => {
    const h = await harness({ TRUST_PROXY: 'loopback', PAYSTORY_NOTI_ALLOW: '203.0.113.7, 192.0.2.0/24' });
    const fromGateway = genuine('sandbox01m01012698000000000001');
    const fromSubnet = genuine('sandbox01m01012698000000000002');
    const fromStranger = genuine('sandbox01m01012698000000000003');

    const accepted = await postNotificationForm(h, fromGateway, 'UTF-8', { 'x-forwarded-for': '203.0.113.7' });
    const inSubnet = await postNotificationForm(h, fromSubnet, 'UTF-8', { 'x-forwarded-for': '192.0.2.55' });
    const refused = await postNotificationForm(h, fromStranger, 'UTF-8', { 'x-forwarded-for': '198.51.100.9' });

    expect(accepted).toMatchObject({ status: 200, body: JSON_ACK });
    expect(inSubnet).toMatchObject({ status: 200, body: JSON_ACK });
    expect(refused.status).toBe(403);
    expect(refused.contentType).toContain('application/problem+json');
    expect(await storedSources(h, fromGateway.tid)).toEqual(['203.0.113.7']);
    expect(await storedSources(h, fromSubnet.tid)).toEqual(['192.0.2.55']);
    expect(await notificationRows(h, fromStranger.tid)).toEqual([]);
  });

  it('without TRUST_PROXY, ignores X-Forwarded-For: a spoofed header does not get in', async () => {
    const h = await harness({ PAYSTORY_NOTI_ALLOW: '203.0.113.7' });
    const spoofed = genuine('sandbox01m01012698000000000004');

    const answer = await postNotificationForm(h, spoofed, 'UTF-8', { 'x-forwarded-for': '203.0.113.7' });

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body) as ProblemBody).toMatchObject({ detail: expect.stringContaining('127.0.0.1') });
    expect(await notificationRows(h, spoofed.tid)).toEqual([]);
  });
});

describe('notification freshness and rejected rows', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    // The sandbox's own notifications go nowhere: only the ones the tests post reach the service.
    h = await startHarness(
      { PUBLIC_BASE_URL: UNREACHABLE_URL, PAYSTORY_TIMEOUT_MS: '400' },
      { sandbox: { hangMs: 1_500 } },
    );
  });
  afterEach(() => h.gateway.clearFaults());
  afterAll(() => h?.close());

  /** A charge approved at the gateway whose answer the service never got: 202 UNKNOWN, and the gateway's approval. */
  async function givenUnknownPayment(amount: number) {
    const key = await givenActiveBillingKey(h);
    await h.gateway.fault('charge', 'hang-after-processing');
    const payment = expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount }) }), 202);
    return { payment, approval: await h.gateway.approvalFor(payment.orderId) };
  }

  describe('ediDate (PAYSTORY_NOTI_MAX_SKEW_MINUTES, default 30)', () => {
    it('refuses a correctly signed notification 31 minutes old: stored with the reason, never applied, nothing queried', async () => {
      const { payment, approval } = await givenUnknownPayment(21_000);

      const stale = await postNotificationForm(h, approvalNotification(approval, ediDateMinutesAgo(31)));

      expectRefused(stale, 'ediDate');
      expect(await notificationRows(h, approval.tid)).toEqual([
        expect.objectContaining({
          status: 'REJECTED',
          reason: expect.stringMatching(/^stale_edi_date: /),
          order_no: payment.orderId,
          deliveries: 1,
        }),
      ]);
      await sleep(200);
      expect(await getPayment(h, payment.id)).toMatchObject({ status: 'UNKNOWN', tid: null });
      expect(await h.gateway.requestsFor('query', payment.orderId)).toEqual([]);

      // The same approval 29 minutes old is fresh enough: acknowledged, confirmed by one query, applied.
      const fresh = await postNotificationForm(h, approvalNotification(approval, ediDateMinutesAgo(29)));

      expect(fresh).toMatchObject({ status: 200, body: JSON_ACK });
      expect(await settledRows(h, approval.tid, 2)).toEqual([
        expect.objectContaining({ status: 'REJECTED' }),
        expect.objectContaining({ status: 'APPLIED', deliveries: 1 }),
      ]);
      expect(await getPayment(h, payment.id)).toMatchObject({ status: 'APPROVED', tid: approval.tid });
      expect(await h.gateway.requestsFor('query', payment.orderId)).toHaveLength(1);
    });

    it('checks the hash first: a stale notification with a bad hash is a bad hash', async () => {
      const { payment, approval } = await givenUnknownPayment(22_000);

      const answer = await postNotificationForm(
        h,
        withForgedHash(approvalNotification(approval, ediDateMinutesAgo(90))),
      );

      expectRefused(answer, 'hashStr');
      expect(await notificationRows(h, approval.tid)).toEqual([
        expect.objectContaining({ status: 'REJECTED', reason: expect.stringMatching(/^bad_hash: /) }),
      ]);
      expect(await h.gateway.requestsFor('query', payment.orderId)).toEqual([]);
    });

    it('acknowledges a late copy of a notification it accepted while fresh as a repeat, applying nothing again', async () => {
      const payment = await givenApprovedPayment(h, 23_000);
      const approval = await h.gateway.approvalFor(payment.orderId);
      const first = approvalNotification(approval, ediDateMinutesAgo(1));
      expect(await postNotificationForm(h, first)).toMatchObject({ status: 200, body: JSON_ACK });
      await settledRows(h, approval.tid);

      // The gateway never saw the acknowledgement and delivers again long after (or someone replays it).
      const late = await postNotificationForm(h, approvalNotification(approval, ediDateMinutesAgo(45)));

      expect(late).toMatchObject({ status: 200, body: JSON_ACK });
      expect(await notificationRows(h, approval.tid)).toEqual([
        expect.objectContaining({ status: 'APPLIED', deliveries: 2 }),
      ]);
      expect(await h.gateway.requestsFor('query', payment.orderId)).toEqual([]);
    });
  });

  it('stores the same bad-hash body posted 50 times as one rejected row counted 50 times', async () => {
    const forged = withForgedHash(
      signedNotification({
        tid: 'sandbox01m01012698500000000000',
        ordNo: 'flood-1',
        goodsAmt: '9000',
        resultCd: '3001',
      }),
    );

    const answers = await Promise.all(Array.from({ length: 50 }, () => postNotificationForm(h, forged)));

    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(400));
    const rows = await h.db.query<{
      status: string;
      deliveries: number;
      received_at: unknown;
      last_received_at: unknown;
    }>(
      'SELECT status, deliveries, received_at, last_received_at FROM gateway_notifications WHERE order_no IS NULL AND fields LIKE ?',
      '%flood-1%',
    );
    expect(rows).toEqual([expect.objectContaining({ status: 'REJECTED', deliveries: 50 })]);
    expect(new Date(String(rows[0].last_received_at)).getTime()).toBeGreaterThanOrEqual(
      new Date(String(rows[0].received_at)).getTime(),
    );
  });

  it('sweeps rejected rows past PAYSTORY_NOTI_REJECTED_RETENTION_DAYS (default 7) and keeps accepted ones', async () => {
    const payment = await givenApprovedPayment(h, 24_000);
    const approval = await h.gateway.approvalFor(payment.orderId);
    expect(await postNotificationForm(h, approvalNotification(approval, ediDateMinutesAgo(0)))).toMatchObject({
      status: 200,
    });
    expectRefused(
      await postNotificationForm(h, withForgedHash(approvalNotification(approval, ediDateMinutesAgo(0)))),
      'hashStr',
    );
    expect((await settledRows(h, approval.tid, 2)).map((r) => r.status).sort()).toEqual(['APPLIED', 'REJECTED']);
    const sweeper = h.service.app.get(RejectedNotificationSweeper);

    // Six days on, the rejected row is still kept; eight days on it is gone, the accepted one stays.
    await sweeper.sweep(new Date(Date.now() + 6 * DAY_MS));
    expect((await notificationRows(h, approval.tid)).map((r) => r.status).sort()).toEqual(['APPLIED', 'REJECTED']);
    expect(await sweeper.sweep(new Date(Date.now() + 8 * DAY_MS))).toBeGreaterThanOrEqual(1);
    expect(await notificationRows(h, approval.tid)).toEqual([expect.objectContaining({ status: 'APPLIED' })]);
    expect(await h.db.query("SELECT id FROM gateway_notifications WHERE status = 'REJECTED'")).toEqual([]);
  });
});
