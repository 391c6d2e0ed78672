import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { encodeForm, PaystorySigner, toSeoulStamp } from '@app/paystory';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { expectData } from './support/api-client';
import { getPayment } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { billingKeyBid } from './support/database-reader';
import { startDeployment, type Deployment } from './support/deployment';
import type { ServiceProcess } from './support/service-process';
import { usingPostgres } from './support/test-database';
import { eventually } from './support/waiting';
import { wireTextClient } from './support/wire-text';

/**
 * Production shape: three service processes share one PostgreSQL and one gateway. Runs in the
 * PostgreSQL pass of `npm test` (TEST_DATABASE_URL); several instances on SQLite are not a
 * supported deployment.
 */
const describeOnPostgres = usingPostgres() ? describe : describe.skip;
if (!usingPostgres())
  console.warn('Skipping the multi-instance tests: they run in the PostgreSQL pass (TEST_DATABASE_URL)');

const SUBSCRIPTIONS = 3_000;
const card = SANDBOX_MERCHANTS.card;

describeOnPostgres('three instances on one PostgreSQL', () => {
  let deployment: Deployment;
  let instances: ServiceProcess[] = [];

  beforeAll(async () => {
    deployment = await startDeployment();
    // Started together, so their migrations race too (an advisory lock makes them take turns).
    // The gateway's notifications go nowhere: the test delivers them itself, to every instance.
    instances = await Promise.all(
      [1, 2, 3].map(() =>
        deployment.startInstance({
          PAYSTORY_TIMEOUT_MS: '1000',
          JANITOR_ENABLED: 'true',
          JANITOR_INTERVAL_MS: '300',
          JANITOR_STALE_AFTER_MS: '1500',
          JANITOR_BACKOFF_MS: '0',
          SUBSCRIPTION_SCHEDULER_ENABLED: 'true',
          SUBSCRIPTION_INTERVAL_MS: '200',
          SUBSCRIPTION_CONCURRENCY: '8',
          SUBSCRIPTION_RATE_LIMIT: '1000',
          SUBSCRIPTION_CLAIM_LEASE_MS: '2000',
        }),
      ),
    );
  }, 90_000);

  afterAll(async () => {
    await deployment?.close();
  });

  it('answers concurrent charges sharing Idempotency-Keys across instances with one gateway charge each', async () => {
    const key = await givenActiveBillingKey(instances[0]);
    const keys = Array.from({ length: 20 }, () => randomUUID());
    const before = (await deployment.gateway.requests('charge')).length;

    // Typed clients that keep each answer's text: the three answers of a key must be the same bytes.
    const wires = instances.map((instance) => wireTextClient(instance.url));

    const answers = await Promise.all(
      keys.flatMap((idempotencyKey, i) =>
        wires.map(async (wire) => {
          const answer = await wire.client.POST('/v1/payments', {
            params: { header: { 'Idempotency-Key': idempotencyKey } },
            body: chargeRequest(key.id, { amount: 10_000 + i }),
          });
          return { answer, text: await wire.textOf(answer) };
        }),
      ),
    );

    expect((await deployment.gateway.requests('charge')).length - before).toBe(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const sameKey = answers.slice(i * 3, i * 3 + 3);
      expect(sameKey.map((a) => a.answer.response.status)).toEqual([201, 201, 201]);
      expect(new Set(sameKey.map((a) => a.text)).size).toBe(1);
      expect(expectData(sameKey[0].answer, 201)).toMatchObject({ status: 'APPROVED', amount: 10_000 + i });
    }
  }, 60_000);

  it('applies the same notification delivered to all three once', async () => {
    const key = await givenActiveBillingKey(instances[0]);
    const charged = expectData(
      await instances[0].client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 33_000 }) }),
      201,
    );
    // A partial cancel made in the gateway's admin console: only its notification tells the service.
    await deployment.gateway.adminCancel(charged.tid, 3_000);
    const [cancel] = (await deployment.gateway.approvalFor(charged.orderId)).cancellations;
    const ediDate = toSeoulStamp(new Date());
    const fields: Record<string, string> = {
      mid: card.mid,
      tid: cancel.tid,
      oTid: String(charged.tid),
      ordNo: charged.orderId,
      resultCd: '2001',
      resultMsg: '취소 성공',
      goodsAmt: '3000',
      cancelYN: 'Y',
      payMethod: 'CARD',
      ediDate,
      appDtm: ediDate,
      ccDtm: ediDate,
      hashStr: new PaystorySigner({ now: () => new Date() }).notification(card, ediDate, '3000'),
    };
    const body = encodeForm(fields, 'UTF-8');

    const acks = await Promise.all(
      instances.map((instance) =>
        fetch(`${instance.url}/v1/notifications/paystory`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body,
        }).then(async (r) => ({ status: r.status, body: await r.text() })),
      ),
    );

    expect(acks).toEqual(instances.map(() => ({ status: 200, body: '{"resultCd":"0000"}' })));
    const payment = await eventually(
      () => getPayment(instances[1], charged.id),
      (p) => p.cancelledAmount === 3_000,
    );
    expect(payment).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancelledAmount: 3_000, cancellableAmount: 30_000 });
    expect(await deployment.db.query('SELECT deliveries FROM gateway_notifications WHERE tid = ?', cancel.tid)).toEqual(
      [{ deliveries: 3 }],
    );
    expect(
      await deployment.db.query(
        "SELECT COUNT(*) AS n FROM outbox_events WHERE type = 'payment.partially_cancelled' AND data LIKE ?",
        `%${charged.id}%`,
      ),
    ).toEqual([{ n: 1 }]);
  }, 60_000);

  it('charges 3,000 due subscriptions exactly once with the scheduler running in all three, one of them killed mid-run', async () => {
    const key = await givenActiveBillingKey(instances[0]);
    const startAt = new Date(Date.now() - 3_600_000);
    await seedSubscriptions(deployment.database.url, key.id, startAt);

    // Kill one instance while the run is in full swing: the others must finish its work.
    await eventually(
      () => ordersChargedOnKey(key.id),
      (orders) => orders.length >= SUBSCRIPTIONS / 5,
      60_000,
      100,
    );
    await instances[2].kill();

    const advanced = await eventually(
      async () =>
        (
          await deployment.db.query<{ n: number }>(
            "SELECT COUNT(*) AS n FROM subscriptions WHERE id LIKE 'sub_multi_%' AND period_index = 1",
          )
        )[0].n,
      (n) => n === SUBSCRIPTIONS,
      90_000,
      250,
    );
    expect(advanced).toBe(SUBSCRIPTIONS);

    // The gateway's own count agrees: one approved charge per subscription period, no order twice.
    const orders = await ordersChargedOnKey(key.id);
    expect(orders).toHaveLength(SUBSCRIPTIONS);
    expect(new Set(orders).size).toBe(SUBSCRIPTIONS);
    const approvals = (
      await deployment.db.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM subscription_charges WHERE subscription_id LIKE 'sub_multi_%' AND status = 'APPROVED'",
      )
    )[0].n;
    expect(approvals).toBe(SUBSCRIPTIONS);
  }, 150_000);

  /** Order numbers of the charges the gateway received on one billing key. */
  async function ordersChargedOnKey(billingKeyId: string): Promise<string[]> {
    const charges = await deployment.gateway.chargesOnBid(await billingKeyBid(deployment.db, billingKeyId));
    return charges.filter((r) => r.resultCd === '3001').map((r) => r.fields.ordNo);
  }
});

/** Due subscriptions written straight into the shared database, as a large existing book would be. */
async function seedSubscriptions(url: string, billingKeyId: string, startAt: Date): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO subscriptions (id, customer_id, billing_key_id, amount, goods_name, interval, anchor_day, start_at, status, period_index, attempt, next_charge_at, version)
       SELECT 'sub_multi_' || lpad(g::text, 5, '0'), (SELECT customer_id FROM billing_keys WHERE id = $1), $1, 9900, '월 구독', 'monthly', $2, $3, 'ACTIVE', 0, 0, $3, 1
       FROM generate_series(1, ${SUBSCRIPTIONS}) g`,
      [billingKeyId, Number(toSeoulStamp(startAt).slice(6, 8)), startAt],
    );
  } finally {
    await client.end();
  }
}
