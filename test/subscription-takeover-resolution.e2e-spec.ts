import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';
import type { Subscription } from '@app/payments-client';
import { givenActiveBillingKey } from './support/billing-fixtures';
import { untilAllInPeriod } from './support/database-reader';
import { chargesOf, givenSubscriptionsDueTogether } from './support/subscription-factories';
import {
  INSTANCE_KILLED_MID_CALL,
  PROCESS_TEST_TIMEOUT_MS,
  startDeployment,
  type Deployment,
} from './support/deployment';
import type { ServiceProcess } from './support/service-process';
import { eventually } from './support/waiting';

const SUBSCRIPTIONS = 6;
const LEFT_PENDING = 4;

/** Both instances: their own schedulers, often; dead after 2 s without a heartbeat; no janitor, whose resolver would settle a PENDING charge only once it is 120 s old. */
const SCHEDULING = {
  INSTANCE_HEARTBEAT_MS: '200',
  INSTANCE_DEAD_AFTER_MS: '2000',
  SUBSCRIPTION_SCHEDULER_ENABLED: 'true',
  SUBSCRIPTION_INTERVAL_MS: '200',
  SUBSCRIPTION_CLAIM_LEASE_MS: '600000',
  SUBSCRIPTION_CONCURRENCY: String(LEFT_PENDING),
  SUBSCRIPTION_RATE_LIMIT: '1000',
  JANITOR_ENABLED: 'false',
} as const;

/**
 * Instance A sends four subscription charges, which the gateway approves without answering, and is
 * SIGKILLed: their payments stay PENDING. Instance B, its janitor off, takes A's claims over and
 * settles those four from the gateway's query by ordNo (§8), sending none of them again, and
 * charges the periods A never sent.
 */
describe('A killed instance’s PENDING subscription charges', () => {
  let deployment: Deployment;
  let a: ServiceProcess;
  let subscriptions: Subscription[];

  beforeAll(async () => {
    deployment = await startDeployment();
    a = await deployment.startInstance({ ...INSTANCE_KILLED_MID_CALL, ...SCHEDULING });
  }, PROCESS_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await deployment?.close();
  });

  const orderOf = (s: Subscription) => attemptOrderId(s.id, 0, 0);

  async function sentOrders(endpoint: 'charge' | 'query'): Promise<string[]> {
    const orders = new Set(subscriptions.map(orderOf));
    return (await deployment.gateway.requests(endpoint)).map((r) => r.fields.ordNo).filter((o) => orders.has(o));
  }

  it(
    'are settled by the instance that takes the claims over, from the gateway’s query, each charged once',
    async () => {
      const key = await givenActiveBillingKey(a);
      await deployment.gateway.fault('charge', 'hang-after-processing', LEFT_PENDING);
      const dueAt = new Date(Date.now() + 2_000).toISOString();
      subscriptions = await givenSubscriptionsDueTogether(a, key, SUBSCRIPTIONS, dueAt, 20_000);
      const leftPending = await eventually(
        () => sentOrders('charge'),
        (sent) => sent.length === LEFT_PENDING,
        30_000,
        100,
      );
      await a.kill();
      const [{ n: pending }] = await deployment.db.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM payments WHERE status = 'PENDING'",
      );
      expect(Number(pending)).toBe(LEFT_PENDING);

      const b = await deployment.startInstance(SCHEDULING);
      await untilAllInPeriod(deployment.db, subscriptions, 1);

      for (const s of subscriptions) {
        expect(await chargesOf(b, s.id)).toEqual([
          expect.objectContaining({ status: 'APPROVED', paymentStatus: 'APPROVED', amount: s.amount }),
        ]);
      }
      const sent = await sentOrders('charge');
      expect([...sent].sort()).toEqual(subscriptions.map(orderOf).sort());
      expect(await sentOrders('query')).toEqual(expect.arrayContaining(leftPending));
      const { orders } = await deployment.gateway.settledLedger();
      for (const s of subscriptions)
        expect(orders.filter((o) => o.ordNo === orderOf(s)).map((o) => o.kept)).toEqual([s.amount]);
    },
    3 * PROCESS_TEST_TIMEOUT_MS,
  );
});
