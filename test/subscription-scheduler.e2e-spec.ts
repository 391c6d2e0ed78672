import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_MERCHANTS, startSandbox, type ApprovalView, type ReceivedRequest, type RunningSandbox } from '@app/sandbox';
import { DataSource } from 'typeorm';
import { RunningService, startService } from '../apps/payments/src/bootstrap';
import { SubscriptionChargeEntity } from '../apps/payments/src/subscription/entities/subscription-charge.entity';
import { SubscriptionEntity } from '../apps/payments/src/subscription/entities/subscription.entity';
import { SubscriptionBillingService } from '../apps/payments/src/subscription/subscription-billing.service';
import { SubscriptionService } from '../apps/payments/src/subscription/subscription.service';
import { PaymentJanitor } from '../apps/payments/src/transaction/payment-janitor';
import { APPROVING_CARD, expectStatus } from './support/factories';
import { startSchedulerProcess, type SchedulerProcess } from './support/scheduler-process-runner';
import { startHarness, TEST_API_KEY } from './support/service-harness';
import { seoul } from './support/subscription-factories';

const T0 = seoul('2027-11-01T09:00:00');
const LATER = new Date(T0.getTime() + 3_600_000);

/** Issues one card billing key over the API of `serviceUrl` and creates `count` monthly subscriptions on it, all due at T0. */
async function seedDueSubscriptions(service: RunningService, count: number): Promise<string[]> {
  const customerId = `race-${Math.random().toString(36).slice(2)}`;
  const key = await fetch(`${service.url}/v1/billing-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerId, cardNo: APPROVING_CARD, expiry: '3012', birthOrBusinessNo: '900101', cardPassword2: '12', cardType: 'personal', cardCompanyCode: '04', buyerName: '홍길동', buyerTel: '01012345678' }),
  });
  expect(key.status).toBe(201);
  const billingKeyId = ((await key.json()) as { id: string }).id;
  const subscriptions = service.app.get(SubscriptionService);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((await subscriptions.create({ customerId, billingKeyId, amount: 1_000 + i, goodsName: `구독 ${i}`, interval: 'monthly', startAt: T0 }, T0)).id);
  }
  return ids;
}

/** Each seeded subscription charged exactly once at the gateway, for its own amount, and moved on to period 1. */
async function expectEachChargedOnce(service: RunningService, gatewayUrl: string, ids: string[]): Promise<void> {
  const requests = (await (await fetch(`${gatewayUrl}/__sandbox/requests?endpoint=charge`)).json()) as ReceivedRequest[];
  const approvals = (await (await fetch(`${gatewayUrl}/__sandbox/transactions`)).json()) as ApprovalView[];
  const charges = await service.app.get(DataSource).getRepository(SubscriptionChargeEntity).find();
  const orderIds = new Set(charges.map((c) => c.orderId));
  const sent = requests.filter((r) => orderIds.has(r.fields.ordNo));

  expect(charges).toHaveLength(ids.length);
  expect(sent).toHaveLength(ids.length);
  expect(new Set(sent.map((r) => r.fields.ordNo)).size).toBe(ids.length);
  expect(approvals.filter((a) => orderIds.has(a.ordNo))).toHaveLength(ids.length);
  const subscriptions = await service.app.get(DataSource).getRepository(SubscriptionEntity).find();
  expect(subscriptions.filter((s) => ids.includes(s.id) && s.periodIndex === 1 && s.status === 'ACTIVE')).toHaveLength(ids.length);
  expect(charges.every((c) => c.status === 'APPROVED' && c.periodIndex === 0 && c.attempt === 0)).toBe(true);
}

/** What every instance in these tests shares: no interval scheduler or janitor (the test drives them), no rate wait. */
const INSTANCE_ENV = {
  PORT: '0',
  API_KEYS: TEST_API_KEY,
  SUBSCRIPTION_SCHEDULER_ENABLED: 'false',
  JANITOR_ENABLED: 'false',
  SUBSCRIPTION_RATE_LIMIT: '10000',
  SUBSCRIPTION_CONCURRENCY: '16',
  // Gateway notifications would only add a second path to the same outcomes; they go nowhere here.
  PUBLIC_BASE_URL: 'http://127.0.0.1:9',
} as const;

describe('Two schedulers racing over 1,000 due subscriptions charge each period exactly once', () => {
  it('two concurrent runs in one instance', async () => {
    const h = await startHarness(INSTANCE_ENV, { notiRetryDelaysMs: [] });
    try {
      const ids = await seedDueSubscriptions(h.service, 1_000);
      const billing = h.service.app.get(SubscriptionBillingService);

      const [first, second] = await Promise.all([billing.runDue(T0), billing.runDue(T0)]);

      expect(first + second).toBeGreaterThanOrEqual(1_000);
      await expectEachChargedOnce(h.service, h.gatewayUrl, ids);
      expect(await billing.runDue(LATER)).toBe(0);
    } finally {
      await h.close();
    }
  }, 30_000);

  it('two service instances, each in its own process, on one SQLite file and one gateway', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payments-race-'));
    const sandbox = await startSandbox({ port: 0, logger: false, notiRetryDelaysMs: [] });
    const env = { ...INSTANCE_ENV, DATABASE_URL: `sqlite:${join(dir, 'payments.sqlite')}`, PAYSTORY_BASE_URL: sandbox.baseUrl, PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid, PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey };
    const errs: string[] = [];
    let here: RunningService | undefined;
    let there: SchedulerProcess | undefined;
    try {
      here = await startService({ env, logger: { log() {}, warn() {}, error: (m: unknown) => errs.push(String(m)) } }); // migrates the file first
      there = await startSchedulerProcess(env);
      const ids = await seedDueSubscriptions(here, 1_000);

      const t = Date.now();
      const [drivenHere, drivenThere] = await Promise.all([here.app.get(SubscriptionBillingService).runDue(T0), there.runDue(T0)]);
      console.log(Date.now() - t, drivenHere, drivenThere, there.stderr());

      const counts = new Map<string, number>(); for (const e of errs) { const k = e.replace(/sub_\w+/, 'sub_X'); counts.set(k, (counts.get(k) ?? 0) + 1); } console.log([...counts]);
      const rows = await here.app.get(DataSource).query("select c.status cs, p.status ps, count(*) n from subscription_charges c left join payments p on p.order_id = c.order_id group by 1,2"); console.log(rows);
      await expectEachChargedOnce(here, sandbox.baseUrl, ids);
    } finally {
      await there?.stop();
      await here?.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
