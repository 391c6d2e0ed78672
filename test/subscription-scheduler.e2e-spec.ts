import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_MERCHANTS, startSandbox, type RunningSandbox, type SandboxOptions } from '@app/sandbox';
import { DataSource } from 'typeorm';
import { startService, type RunningService } from '../apps/payments/src/bootstrap';
import { PaymentEntity } from '../apps/payments/src/payment/entities/payment.entity';
import { SubscriptionChargeEntity } from '../apps/payments/src/subscription/entities/subscription-charge.entity';
import { SubscriptionEntity } from '../apps/payments/src/subscription/entities/subscription.entity';
import { SubscriptionBillingService } from '../apps/payments/src/subscription/subscription-billing.service';
import { SubscriptionService } from '../apps/payments/src/subscription/subscription.service';
import { DEFAULT_TENANT_ID } from '../apps/payments/src/common/auth/principal';
import { PaymentResolverService } from '../apps/payments/src/payment/resolution/payment-resolver.service';
import { apiCaller, expectData, TEST_API_KEY } from './support/api-client';
import { givenActiveBillingKey } from './support/billing-fixtures';
import { SandboxInspector } from './support/sandbox-inspector';
import { startSchedulerProcess, type SchedulerProcess } from './support/scheduler-process-runner';
import { startHarness } from './support/service-harness';
import {
  chargeRequestsOnKey,
  chargesOf,
  getSubscription,
  givenSubscription,
  seoul,
} from './support/subscription-factories';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { eventually, sleep } from './support/waiting';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';
import { SEND_DELAY_ALLOWANCE_MS } from '../apps/payments/src/common/scheduling/rate-limiter';

const T0 = seoul('2027-11-01T09:00:00');
const LATER = new Date(T0.getTime() + 3_600_000);

/** What every instance here shares: the test drives the scheduler and the janitor; no rate wait. */
const INSTANCE_ENV = {
  PORT: '0',
  API_KEYS: TEST_API_KEY,
  SUBSCRIPTION_SCHEDULER_ENABLED: 'false',
  JANITOR_ENABLED: 'false',
  SUBSCRIPTION_RATE_LIMIT: '10000',
  PAYSTORY_RATE_LIMIT: '10000',
  SUBSCRIPTION_CONCURRENCY: '16',
  // Gateway notifications would only be a second path to the same outcomes: they go nowhere here.
  PUBLIC_BASE_URL: UNREACHABLE_URL,
} as const;
const NO_NOTIFICATION_RETRIES = { notiRetryDelaysMs: [] } satisfies SandboxOptions;

/** One SQLite file and one standalone sandbox gateway, for several service instances. */
interface SharedWorld {
  sandbox: RunningSandbox;
  env: Record<string, string>;
  cleanUp(): Promise<void>;
}

async function sharedWorld(env: Record<string, string>, sandboxOptions: SandboxOptions = {}): Promise<SharedWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'payments-instances-'));
  const sandbox = await startSandbox({ port: 0, logger: false, ...NO_NOTIFICATION_RETRIES, ...sandboxOptions });
  return {
    sandbox,
    env: {
      ...INSTANCE_ENV,
      DATABASE_URL: `sqlite:${join(dir, 'payments.sqlite')}`,
      PAYSTORY_BASE_URL: sandbox.baseUrl,
      PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
      PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
      ...env,
    },
    cleanUp: async () => {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Issues one card billing key over the API and creates `count` monthly subscriptions on it, each due at T0 for its own amount. */
async function seedDueSubscriptions(service: RunningService, count: number): Promise<string[]> {
  const { customerId, id: billingKeyId } = await givenActiveBillingKey(apiCaller(service.url));
  const subscriptions = service.app.get(SubscriptionService);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      (
        await subscriptions.create(
          { customerId, billingKeyId, amount: 1_000 + i, goodsName: `구독 ${i}`, interval: 'monthly', startAt: T0 },
          DEFAULT_TENANT_ID,
          T0,
        )
      ).id,
    );
  }
  return ids;
}

/** The gateway saw exactly one charge per seeded subscription's first period, each for that subscription's amount, and approved each once. */
async function expectEachPeriodSentOnce(service: RunningService, gatewayUrl: string, ids: string[]): Promise<void> {
  const charges = await service.app
    .get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE))
    .getRepository(SubscriptionChargeEntity)
    .find();
  const subscriptions = await service.app
    .get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE))
    .getRepository(SubscriptionEntity)
    .find();
  const amountOf = new Map(subscriptions.map((s) => [s.id, s.amount]));
  const orderToAmount = new Map(charges.map((c) => [c.orderId, amountOf.get(c.subscriptionId)]));
  const gateway = new SandboxInspector(gatewayUrl);
  const sent = (await gateway.requests('charge')).filter((r) => orderToAmount.has(r.fields.ordNo));
  const approvals = (await gateway.approvals()).filter((a) => orderToAmount.has(a.ordNo));

  expect(charges).toHaveLength(ids.length);
  expect(new Set(charges.map((c) => c.subscriptionId))).toEqual(new Set(ids));
  expect(charges.every((c) => c.periodIndex === 0 && c.attempt === 0)).toBe(true);
  expect(sent).toHaveLength(ids.length);
  expect(new Set(sent.map((r) => r.fields.ordNo)).size).toBe(ids.length);
  expect(sent.every((r) => Number(r.fields.goodsAmt) === orderToAmount.get(r.fields.ordNo))).toBe(true);
  expect(approvals).toHaveLength(ids.length);
}

/** Every seeded subscription recorded its approved first period and moved on to the next. */
async function expectAllMovedOn(service: RunningService, ids: string[]): Promise<void> {
  const data = service.app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE));
  const subscriptions = await data.getRepository(SubscriptionEntity).find();
  const charges = await data.getRepository(SubscriptionChargeEntity).find();
  const payments = await data.getRepository(PaymentEntity).find();
  const seeded = subscriptions.filter((s) => ids.includes(s.id));

  expect(seeded.map((s) => `${s.status} ${s.periodIndex} ${s.nextChargeAt?.toISOString()}`)).toEqual(
    ids.map(() => `ACTIVE 1 ${seoul('2027-12-01T09:00:00').toISOString()}`),
  );
  expect(charges.map((c) => c.status)).toEqual(ids.map(() => 'APPROVED'));
  expect(payments.filter((p) => charges.some((c) => c.orderId === p.orderId)).map((p) => p.status)).toEqual(
    ids.map(() => 'APPROVED'),
  );
}

describe('Two schedulers racing over 1,000 due subscriptions charge each period exactly once', () => {
  it('two concurrent runs in one instance', async () => {
    const h = await startHarness(INSTANCE_ENV, { sandbox: NO_NOTIFICATION_RETRIES });
    try {
      const ids = await seedDueSubscriptions(h.service, 1_000);
      const billing = h.service.app.get(SubscriptionBillingService);

      const [first, second] = await Promise.all([billing.runDue(T0), billing.runDue(T0)]);

      expect(first + second).toBeGreaterThanOrEqual(1_000); // an attempt the other run settled meanwhile is looked at again, never charged
      await expectEachPeriodSentOnce(h.service, h.gatewayUrl, ids);
      await expectAllMovedOn(h.service, ids);
      expect(await billing.runDue(LATER)).toBe(0);
    } finally {
      await h.close();
    }
  }, 120_000);

  /*
   * The second instance runs in a process of its own, as in production: two instances in one Node
   * process cannot share a SQLite file, because better-sqlite3 waits out busy_timeout synchronously
   * and so freezes the event loop that would commit the other instance's transaction (the second
   * run then fails with "database is locked" after 5 s).
   *
   * Across processes, their read-then-write transactions still collide on SQLite: some outcomes
   * fail to be recorded with SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT (the payment stays PENDING though
   * the gateway approved it, or the claim stays CLAIMED). No charge is doubled; the claim lease and
   * the janitor record them afterwards. PostgreSQL's multi-instance run is another issue's.
   */
  it('two service instances, each in its own process, on one SQLite file and one gateway', async () => {
    const world = await sharedWorld({
      PAYSTORY_TIMEOUT_MS: '5000',
      JANITOR_STALE_AFTER_MS: '5001',
      JANITOR_BACKOFF_MS: '0',
    });
    let here: RunningService | undefined;
    let there: SchedulerProcess | undefined;
    try {
      here = await startService({ env: world.env, logger: false }); // migrates the file before the other starts
      there = await startSchedulerProcess(world.env);
      const ids = await seedDueSubscriptions(here, 1_000);

      const [drivenHere, drivenThere] = await Promise.all([
        here.app.get(SubscriptionBillingService).runDue(T0),
        there.runDue(T0),
      ]);

      expect(drivenThere).toEqual({ driven: expect.any(Number) });
      expect(drivenHere + ('driven' in drivenThere ? drivenThere.driven : 0)).toBeGreaterThanOrEqual(1_000);
      await expectEachPeriodSentOnce(here, world.sandbox.baseUrl, ids);

      await sleep(5_001); // the janitor takes a PENDING charge for abandoned once it is older than JANITOR_STALE_AFTER_MS
      await resolveAllUnknown(here);
      await here.app.get(SubscriptionBillingService).runDue(LATER); // after the claim lease
      await here.app.get(SubscriptionBillingService).runDue(new Date(LATER.getTime() + 3_600_000)); // after the janitor
      await expectEachPeriodSentOnce(here, world.sandbox.baseUrl, ids);
      await expectAllMovedOn(here, ids);
    } finally {
      await there?.stop();
      await here?.close();
      await world.cleanUp();
    }
  }, 120_000);
});

/** The janitor's resolver until no unresolved charge is left (it takes 50 a sweep). */
async function resolveAllUnknown(service: RunningService): Promise<void> {
  for (let sweep = 0; sweep < 100 && (await service.app.get(PaymentResolverService).resolveDue()) > 0; sweep++);
}

describe('A process killed mid-run', () => {
  it('leaves its periods to the next run, which finishes them without a second charge', async () => {
    const world = await sharedWorld(
      {
        PAYSTORY_TIMEOUT_MS: '5000',
        SUBSCRIPTION_CONCURRENCY: '4',
        SUBSCRIPTION_CLAIM_LEASE_MS: '60000',
        // The lease backstop alone: the killed process counts as alive for ten minutes (test/instance-liveness.e2e-spec.ts frees its claims by its heartbeat).
        INSTANCE_DEAD_AFTER_MS: '600000',
        JANITOR_STALE_AFTER_MS: '5001',
        JANITOR_BACKOFF_MS: '0',
      },
      { hangMs: 60_000 },
    );
    let here: RunningService | undefined;
    let doomed: SchedulerProcess | undefined;
    try {
      here = await startService({ env: world.env, logger: false });
      const ids = await seedDueSubscriptions(here, 20);
      doomed = await startSchedulerProcess(world.env);
      // Its first four charges are approved at the gateway but never answered: the run hangs there.
      const gateway = new SandboxInspector(world.sandbox.baseUrl);
      await gateway.fault('charge', 'hang-after-processing', 4);

      doomed.runDue(T0).catch(() => undefined);
      await eventually(
        () => gateway.requests('charge'),
        (sent) => sent.length >= 4,
        20_000,
      );
      await doomed.kill();

      const data = here.app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE));
      expect((await data.getRepository(SubscriptionChargeEntity).find()).map((c) => c.status)).toEqual(
        ids.map(() => 'CLAIMED'),
      );
      expect((await data.getRepository(PaymentEntity).find()).map((p) => p.status)).toEqual([
        'PENDING',
        'PENDING',
        'PENDING',
        'PENDING',
      ]);
      const billing = here.app.get(SubscriptionBillingService);

      expect(await billing.runDue(T0)).toBe(0); // the dead instance's claims are its own until their lease ends
      expect(await gateway.requests('charge')).toHaveLength(4);

      const afterLease = new Date(T0.getTime() + 61_000);
      // 16 charged; the 4 found PENDING, their sender gone, settled at once from the gateway's query by ordNo.
      expect(await billing.runDue(afterLease)).toBe(20);
      expect(await billing.runDue(new Date(afterLease.getTime() + 3_600_000))).toBe(0);

      await expectEachPeriodSentOnce(here, world.sandbox.baseUrl, ids);
      await expectAllMovedOn(here, ids);
    } finally {
      await doomed?.kill();
      await here?.close();
      await world.cleanUp();
    }
  }, 60_000);
});

describe('SUBSCRIPTION_RATE_LIMIT', () => {
  it('paces one instance’s charges at 20 a second: the 60th reaches the gateway no sooner than 59 gaps after the run began', async () => {
    const h = await startHarness(
      { ...INSTANCE_ENV, SUBSCRIPTION_RATE_LIMIT: '20', SUBSCRIPTION_CONCURRENCY: '4' },
      { sandbox: NO_NOTIFICATION_RETRIES },
    );
    try {
      const ids = await seedDueSubscriptions(h.service, 60);
      const started = Date.now();

      await h.service.app.get(SubscriptionBillingService).runDue(T0);

      const stamps = (await h.gateway.requests('charge')).map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
      expect(stamps).toHaveLength(ids.length);
      // Each turn comes a gap of (1 s + SEND_DELAY_ALLOWANCE_MS) / 20 after the one before; a charge's
      // own delays (a slow commit, a pause of the process) only make it later. Unpaced, 60 charges at
      // concurrency 4 take well under a second here. The bound at the gateway in every second is the
      // merchant's shared rate, whose slots carry deadlines (test/gateway-rate-limit.e2e-spec.ts).
      expect(stamps[stamps.length - 1] - started).toBeGreaterThanOrEqual((59 * (1_000 + SEND_DELAY_ALLOWANCE_MS)) / 20);
    } finally {
      await h.close();
    }
  }, 30_000);
});

describe('A subscription cancelled while its run is under way', () => {
  it('is not charged although its period was already claimed, and lists no attempt', async () => {
    // One charge at a time, one a second: the second subscription's charge waits a second after its claim.
    const h = await startHarness(
      { ...INSTANCE_ENV, SUBSCRIPTION_RATE_LIMIT: '1', SUBSCRIPTION_CONCURRENCY: '1' },
      { sandbox: NO_NOTIFICATION_RETRIES },
    );
    try {
      const first = await givenSubscription(h, { startAt: T0.toISOString() });
      const second = await givenSubscription(h, { startAt: new Date(T0.getTime() + 60_000).toISOString() });

      const run = h.service.app.get(SubscriptionBillingService).runDue(LATER);
      await eventually(
        () => chargeRequestsOnKey(h, first.billingKeyId),
        (sent) => sent.length === 1,
      );
      const cancelled = await h.client.POST('/v1/subscriptions/{id}/cancel', { params: { path: { id: second.id } } });
      await run;

      expectData(cancelled, 200);
      expect(await chargeRequestsOnKey(h, second.billingKeyId)).toEqual([]);
      expect(await getSubscription(h, second.id)).toMatchObject({
        status: 'CANCELLED',
        currentPeriod: 0,
        nextChargeAt: null,
      });
      expect(await chargesOf(h, second.id)).toEqual([]);
      expect(await getSubscription(h, first.id)).toMatchObject({ status: 'ACTIVE', currentPeriod: 1 });
    } finally {
      await h.close();
    }
  }, 30_000);
});
