import { DataSource } from 'typeorm';
import type { ProblemBody } from './support/api-bodies';
import { paymentsForOrder } from './support/api-reads';
import {
  gatewayClient,
  notificationRows,
  NOTIFICATION_PATH,
  postNotificationForm,
  settledRows,
  signedNotification,
} from './support/notification-factories';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { eventually, sleep } from './support/waiting';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';

const RETRY_DELAY_MS = 150;
const RETRY_DELAYS_MS = Array<number>(8).fill(RETRY_DELAY_MS);

/** What the gateway needs to hear, per ack mode (`PAYSTORY_NOTI_ACK`, guide §10 "수신성공 기준"). */
const ACK_BODY = { json: '{"resultCd":"0000"}', http: '' } as const;

/**
 * How the gateway's notifications reach the service and are acknowledged: the ack in each mode,
 * the sandbox retrying until acknowledged, the database unavailable, the allow-list.
 */
describe.each(['json', 'http'] as const)('notification delivery with PAYSTORY_NOTI_ACK=%s', (mode) => {
  let h: ServiceHarness;
  let database: DataSource;

  beforeAll(async () => {
    h = await startHarness({ PAYSTORY_NOTI_ACK: mode }, { sandbox: { notiRetryDelaysMs: RETRY_DELAYS_MS } });
    database = h.service.app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE));
  });
  afterEach(async () => {
    if (!database.isInitialized) await database.initialize();
  });
  afterAll(() => h?.close());

  /** A charge made at the gateway without the service (its notification is how the service learns of it). */
  async function chargeAtGateway(amount: number) {
    const gateway = gatewayClient(h);
    const charge = await gateway.charge(await gateway.billingKey(), amount, {
      notiUrl: `${h.service.url}${NOTIFICATION_PATH}`,
    });
    expect(charge.resultCd).toBe('3001');
    return { tid: String(charge.tid), orderNo: String(charge.ordNo) };
  }

  it(`acknowledges a stored notification with ${mode === 'json' ? '{"resultCd":"0000"}' : 'an empty 200'}`, async () => {
    const fields = signedNotification({
      tid: `sandbox01m0101269${mode === 'json' ? 1 : 2}000000000000`,
      ordNo: `ack-${mode}`,
      goodsAmt: '5000',
      resultCd: '3001',
      cancelYN: 'N',
    });

    const answer = await postNotificationForm(h, fields);

    expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: ACK_BODY[mode] });
    expect(await notificationRows(h, fields.tid)).toHaveLength(1);
  });

  it('answers 503 problem+json and acknowledges nothing while the database is unavailable', async () => {
    const fields = signedNotification({
      tid: `sandbox01m0101269${mode === 'json' ? 3 : 4}000000000000`,
      ordNo: `db-down-${mode}`,
      goodsAmt: '7000',
      resultCd: '3001',
      cancelYN: 'N',
    });
    // The service loses its database: the connection is closed under it.
    await database.destroy();

    const answer = await postNotificationForm(h, fields);

    expect(answer.status).toBe(503);
    expect(answer.contentType).toContain('application/problem+json');
    expect(JSON.parse(answer.body) as ProblemBody).toMatchObject({ status: 503 });
    expect(answer.body).not.toContain('"resultCd"');
    await database.initialize();
    expect(await notificationRows(h, fields.tid)).toEqual([]);
    // With the database back, the same notification is stored and acknowledged.
    expect(await postNotificationForm(h, fields)).toMatchObject({ status: 200, body: ACK_BODY[mode] });
    expect(await notificationRows(h, fields.tid)).toEqual([expect.objectContaining({ deliveries: 1 })]);
  });

  it('is retried by the gateway until the service can store and acknowledge it, then no more', async () => {
    await database.destroy();
    const { tid, orderNo } = await chargeAtGateway(13_000);
    await eventually(
      () => h.gateway.deliveriesOf(tid),
      (attempts) => attempts.length >= 2,
    );
    await database.initialize();

    const acked = await eventually(
      () => h.gateway.deliveriesOf(tid),
      (attempts) => attempts.some((a) => a.acked),
    );
    await sleep(RETRY_DELAY_MS * 3);

    const attempts = await h.gateway.deliveriesOf(tid);
    expect(attempts).toHaveLength(acked.length);
    const last = attempts[attempts.length - 1];
    expect({ status: last.status, body: last.responseBody, acked: last.acked }).toEqual({
      status: 200,
      body: ACK_BODY[mode],
      acked: true,
    });
    expect(attempts.slice(0, -1).map((a) => [a.status, a.acked])).toEqual(
      Array(attempts.length - 1).fill([503, false]),
    );
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    // Only the acknowledged delivery was stored, and it was applied: the payment exists.
    expect(await settledRows(h, tid)).toEqual([expect.objectContaining({ status: 'APPLIED', deliveries: 1 })]);
    expect(await paymentsForOrder(h, orderNo)).toEqual([
      expect.objectContaining({ tid, status: 'APPROVED', amount: 13_000 }),
    ]);
  });
});

describe('stored notifications the gateway could not confirm at first', () => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await startHarness({ JANITOR_ENABLED: 'true', JANITOR_INTERVAL_MS: '100', JANITOR_BACKOFF_MS: '0' });
  });
  afterAll(() => h?.close());

  it('are applied again on the janitor interval once the transaction query answers, once at a time', async () => {
    // Three failures: the query and both of the client's own retries of it.
    await h.gateway.fault('query', 'http-500', 3);
    const gateway = gatewayClient(h);
    const charge = await gateway.charge(await gateway.billingKey(), 17_000, {
      notiUrl: `${h.service.url}${NOTIFICATION_PATH}`,
    });
    const tid = String(charge.tid);

    const [row] = await settledRows(h, tid);

    expect(row).toMatchObject({ status: 'APPLIED', apply_attempts: 2, deliveries: 1 });
    const queries = await h.gateway.requestsFor('query', String(charge.ordNo));
    expect(queries.map((q) => q.httpStatus)).toEqual([500, 500, 500, 200]);
    expect(await paymentsForOrder(h, String(charge.ordNo))).toEqual([
      expect.objectContaining({ tid, status: 'APPROVED', amount: 17_000 }),
    ]);
  });
});

describe('notification allow-list (PAYSTORY_NOTI_ALLOW)', () => {
  const harnesses: ServiceHarness[] = [];
  afterAll(() => Promise.all(harnesses.map((h) => h.close())));

  async function harnessAllowing(addresses: string): Promise<ServiceHarness> {
    const h = await startHarness({ PAYSTORY_NOTI_ALLOW: addresses });
    harnesses.push(h);
    return h;
  }

  it('refuses a genuine notification from an address not on the list with 403, storing nothing', async () => {
    const h = await harnessAllowing('203.0.113.7, 203.0.113.8');
    const fields = signedNotification({
      tid: 'sandbox01m01012697000000000000',
      ordNo: 'not-allowed-1',
      goodsAmt: '5000',
      resultCd: '3001',
      cancelYN: 'N',
    });

    const answer = await postNotificationForm(h, fields);

    expect(answer.status).toBe(403);
    expect(answer.contentType).toContain('application/problem+json');
    expect(await notificationRows(h, fields.tid)).toEqual([]);
  });

  it('accepts one from an address on the list', async () => {
    const h = await harnessAllowing('203.0.113.7,127.0.0.1');
    const fields = signedNotification({
      tid: 'sandbox01m01012697100000000000',
      ordNo: 'allowed-1',
      goodsAmt: '5000',
      resultCd: '3001',
      cancelYN: 'N',
    });

    expect(await postNotificationForm(h, fields)).toMatchObject({ status: 200, body: '{"resultCd":"0000"}' });
    expect(await notificationRows(h, fields.tid)).toHaveLength(1);
  });
});
