import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Subscription } from '@app/payments-client';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { untilAllInPeriod } from './support/database-reader';
import { givenSubscription, givenSubscriptionsDueTogether } from './support/subscription-factories';
import {
  INSTANCE_KILLED_MID_CALL,
  INSTANCE_RESTARTED,
  PROCESS_TEST_TIMEOUT_MS,
  startDeployment,
  type Deployment,
} from './support/deployment';
import type { ServiceProcess } from './support/service-process';
import { eventually, sleep } from './support/waiting';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';

const SUBSCRIPTIONS = 12;
const DEAD_AFTER_MS = 2_000;
/** Long on purpose: whatever frees the dead instance's claims within seconds, it is not the lease. */
const CLAIM_LEASE_MS = 60_000;

/** Every instance here: a heartbeat every 200 ms, dead after 2 s without one. */
const LIVENESS = { INSTANCE_HEARTBEAT_MS: '200', INSTANCE_DEAD_AFTER_MS: String(DEAD_AFTER_MS) } as const;

/** Instance B, started beside or after A: its janitor counts a charge as stale only after two minutes. */
const INSTANCE_B = { ...INSTANCE_RESTARTED, ...LIVENESS, JANITOR_STALE_AFTER_MS: '120000' } as const;

/** Both instances: their own schedulers, often. */
const SCHEDULING = {
  ...LIVENESS,
  SUBSCRIPTION_SCHEDULER_ENABLED: 'true',
  SUBSCRIPTION_INTERVAL_MS: '200',
  SUBSCRIPTION_CLAIM_LEASE_MS: String(CLAIM_LEASE_MS),
  SUBSCRIPTION_CONCURRENCY: '4',
  SUBSCRIPTION_RATE_LIMIT: '1000',
} as const;

interface ClaimRow {
  subscription_id: string;
  owner_instance_id: string | null;
  status: string;
}

/**
 * Two service processes on one database and one gateway, each running the subscription scheduler.
 * Instance A claims every due period and is SIGKILLed while its first charges are held at the
 * gateway; instance B takes its claims over within seconds, because A's heartbeat stopped, not
 * because a lease ran out — and it never takes over while A is alive, however long A's charges take.
 */
describe('A dead instance’s subscription claims are freed by its liveness, not by the claim lease', () => {
  let deployment: Deployment;
  let a: ServiceProcess;
  let subscriptions: Subscription[];
  let aId: string;

  beforeAll(async () => {
    deployment = await startDeployment();
    a = await deployment.startInstance({ ...INSTANCE_KILLED_MID_CALL, ...SCHEDULING });
  }, PROCESS_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await deployment?.close();
  });

  async function claims(): Promise<ClaimRow[]> {
    const ids = subscriptions.map((s) => s.id);
    const rows = await deployment.db.query<ClaimRow>(
      'SELECT subscription_id, owner_instance_id, status FROM subscription_charges',
    );
    return rows.filter((r) => ids.includes(r.subscription_id));
  }

  async function chargesSent(): Promise<string[]> {
    const orders = new Set(subscriptions.map((s) => attemptOrderId(s.id, 0, 0)));
    return (await deployment.gateway.requests('charge')).map((r) => r.fields.ordNo).filter((o) => orders.has(o));
  }

  it(
    'keeps a live but slow owner’s claims, takes a killed owner’s over within seconds, and charges each period once',
    async () => {
      // A claims all twelve periods in one batch once they fall due; its first four charges are
      // approved by the gateway, whose answers never come back.
      const key = await givenActiveBillingKey(a);
      await deployment.gateway.fault('charge', 'hang-after-processing', 4);
      const dueAt = new Date(Date.now() + 3_000).toISOString();
      subscriptions = await givenSubscriptionsDueTogether(a, key, SUBSCRIPTIONS, dueAt, 10_000);
      await eventually(chargesSent, (sent) => sent.length === 4, 30_000, 100);
      [{ id: aId }] = await deployment.db.query<{ id: string }>('SELECT id FROM service_instances');
      expect(await claims()).toEqual(
        subscriptions.map(() => expect.objectContaining({ owner_instance_id: aId, status: 'CLAIMED' })),
      );

      // B runs beside A for twice the dead-after period: A is alive, only slow, so B takes nothing.
      await deployment.startInstance({ ...INSTANCE_RESTARTED, ...SCHEDULING });
      await sleep(2 * DEAD_AFTER_MS);
      expect((await claims()).map((c) => [c.owner_instance_id, c.status])).toEqual(
        subscriptions.map(() => [aId, 'CLAIMED']),
      );
      expect(await chargesSent()).toHaveLength(4);

      // A dies with its calls in flight: B takes every claim over once A's heartbeat is stale.
      await a.kill();
      const killedAt = Date.now();
      await eventually(
        claims,
        (rows) => rows.length === SUBSCRIPTIONS && rows.every((c) => c.owner_instance_id !== aId),
        CLAIM_LEASE_MS / 2,
        50,
      );
      // About DEAD_AFTER_MS and a scheduler pass (2.0 s here on SQLite and PostgreSQL); the bound leaves a loaded machine room.
      expect(Date.now() - killedAt).toBeLessThan(DEAD_AFTER_MS + 8_000);

      // B charges the eight A never sent and settles the four A left unanswered (its resolver asks
      // the gateway), never sending one of them again.
      await untilAllInPeriod(deployment.db, subscriptions, 1);
      const sent = await chargesSent();
      expect(sent).toHaveLength(SUBSCRIPTIONS);
      expect(new Set(sent).size).toBe(SUBSCRIPTIONS);
      const { orders } = await deployment.gateway.settledLedger();
      for (const [i, s] of subscriptions.entries()) {
        const kept = orders.filter((o) => o.ordNo === attemptOrderId(s.id, 0, 0));
        expect(kept.map((o) => o.kept)).toEqual([10_000 + i]);
      }
      expect((await claims()).map((c) => c.status)).toEqual(subscriptions.map(() => 'APPROVED'));
    },
    3 * PROCESS_TEST_TIMEOUT_MS,
  );
});

interface PaymentRow {
  status: string;
  sender_instance_id: string | null;
}

/**
 * Two service processes on one database and one gateway. Instance A's API charge is approved at the
 * gateway, whose answer never comes back, so the payment stays PENDING while A waits. Instance B's
 * resolver leaves it while A is alive; A is SIGKILLed and B records the approval within seconds,
 * because A's heartbeat stopped, not because JANITOR_STALE_AFTER_MS (two minutes here) ran out.
 */
describe('A dead instance’s unresolved charge is asked about by its liveness, not once stale', () => {
  const started = startedWithInstanceA({
    ...INSTANCE_KILLED_MID_CALL,
    ...LIVENESS,
  });

  it(
    'leaves a live sender’s PENDING charge, records a killed sender’s from the gateway within seconds, sending nothing again',
    async () => {
      const { deployment, a } = started;
      const key = await givenActiveBillingKey(a);
      const orderId = `s-${key.id}`;
      await deployment.gateway.fault('charge', 'hang-after-processing', { ordNo: orderId });
      // Never answered: A is killed while it waits.
      const charging = a.client
        .POST('/v1/payments', { body: chargeRequest(key.id, { amount: 13_000, orderId }) })
        .catch(() => undefined);
      const paymentRow = async () =>
        (
          await deployment.db.query<PaymentRow>(
            'SELECT status, sender_instance_id FROM payments WHERE order_id = ?',
            orderId,
          )
        )[0];
      await eventually(
        async () => (await deployment.gateway.requestsFor('charge', orderId)).length,
        (sent) => sent === 1,
      );
      const [{ id: aId }] = await deployment.db.query<{ id: string }>('SELECT id FROM service_instances');
      expect(await paymentRow()).toEqual({ status: 'PENDING', sender_instance_id: aId });

      // B's resolver runs beside A for twice the dead-after period: A is alive and the charge is not stale.
      await deployment.startInstance(INSTANCE_B);
      await sleep(2 * DEAD_AFTER_MS);
      expect((await paymentRow()).status).toBe('PENDING');
      expect(await deployment.gateway.requestsFor('query', orderId)).toEqual([]);

      await a.kill();
      await charging;
      const killedAt = Date.now();
      await eventually(paymentRow, (row) => row.status === 'APPROVED', 30_000, 50);
      // About DEAD_AFTER_MS and a janitor pass; the bound leaves a loaded machine room, and is far below the stale wait.
      expect(Date.now() - killedAt).toBeLessThan(DEAD_AFTER_MS + 8_000);
      expect(await deployment.gateway.requestsFor('charge', orderId)).toHaveLength(1);
      expect(await deployment.gateway.ledgerFor(orderId)).toMatchObject({ approved: 13_000, kept: 13_000 });
    },
    3 * PROCESS_TEST_TIMEOUT_MS,
  );
});

/**
 * Instance A is SIGKILLed right after writing an API charge's PENDING row, before its request
 * leaves: the gateway never saw the order. Instance B's resolver, knowing the row's sender dead,
 * sends the same order at once when the gateway's query finds nothing, instead of waiting
 * JANITOR_STALE_AFTER_MS (two minutes here) for "no such order" to count: charged within seconds, once.
 */
describe('A dead instance’s unsent API charge is sent again by liveness, not once stale', () => {
  const started = startedWithInstanceA({
    ...INSTANCE_KILLED_MID_CALL,
    ...LIVENESS,
    PAYMENTS_FAULT_POINTS: 'charge.after-insert=kill',
  });

  it(
    'charges the order once, within seconds of the sender’s death',
    async () => {
      const { deployment, a } = started;
      const key = await givenActiveBillingKey(a);
      const orderId = `u-${key.id}`;
      await a.client
        .POST('/v1/payments', { body: chargeRequest(key.id, { amount: 14_000, orderId }) })
        .catch(() => undefined);
      const died = await a.exited();
      const paymentRow = async () =>
        (await deployment.db.query<{ status: string }>('SELECT status FROM payments WHERE order_id = ?', orderId))[0];
      expect(await paymentRow()).toEqual({ status: 'PENDING' });
      expect(await deployment.gateway.requestsFor('charge', orderId)).toEqual([]);

      await deployment.startInstance(INSTANCE_B);
      await eventually(paymentRow, (row) => row.status === 'APPROVED', 30_000, 50);

      // About DEAD_AFTER_MS, the restart and a janitor pass; far below the stale wait.
      expect(Date.now() - died.at).toBeLessThan(DEAD_AFTER_MS + 20_000);
      expect(await deployment.gateway.requestsFor('charge', orderId)).toHaveLength(1);
      expect(await deployment.gateway.ledgerFor(orderId)).toMatchObject({ approved: 14_000, kept: 14_000 });
    },
    3 * PROCESS_TEST_TIMEOUT_MS,
  );
});

/**
 * Instance A is SIGKILLed right after writing a scheduled charge's PENDING row, before its request
 * leaves: the gateway never saw the order. Instance B takes the claim over once A is dead and,
 * knowing the row's sender dead, sends the same order at once instead of waiting
 * JANITOR_STALE_AFTER_MS (two minutes here) for "no such order" to count: the period is charged
 * within seconds, once.
 */
describe('A dead instance’s unsent scheduled charge is sent again by liveness, not once stale', () => {
  const started = startedWithInstanceA({
    ...INSTANCE_KILLED_MID_CALL,
    ...SCHEDULING,
    PAYMENTS_FAULT_POINTS: 'charge.after-insert=kill',
  });

  it(
    'charges the period once, within seconds of the sender’s death',
    async () => {
      const { deployment, a } = started;
      const key = await givenActiveBillingKey(a);
      const subscription = await givenSubscription(a, {
        customerId: key.customerId,
        billingKeyId: key.id,
        amount: 17_000,
        startAt: new Date(Date.now() + 1_000).toISOString(),
      });
      const orderId = attemptOrderId(subscription.id, 0, 0);
      const died = await a.exited();
      const [row] = await deployment.db.query<{ status: string }>(
        'SELECT status FROM payments WHERE order_id = ?',
        orderId,
      );
      expect(row).toEqual({ status: 'PENDING' });
      expect(await deployment.gateway.requestsFor('charge', orderId)).toEqual([]);

      await deployment.startInstance({ ...INSTANCE_B, ...SCHEDULING });
      await untilAllInPeriod(deployment.db, [subscription], 1);

      // About DEAD_AFTER_MS, the restart and a scheduler pass; far below the stale wait.
      expect(Date.now() - died.at).toBeLessThan(DEAD_AFTER_MS + 20_000);
      expect(await deployment.gateway.requestsFor('charge', orderId)).toHaveLength(1);
      expect(await deployment.gateway.ledgerFor(orderId)).toMatchObject({ approved: 17_000, kept: 17_000 });
    },
    3 * PROCESS_TEST_TIMEOUT_MS,
  );
});

/**
 * For the describe it is called in: a deployment (its own gateway and database) and its instance A,
 * started with `env`, the instance the test kills. Read inside the tests, once `beforeAll` has run.
 */
function startedWithInstanceA(env: Record<string, string>): { deployment: Deployment; a: ServiceProcess } {
  const started = {} as { deployment: Deployment; a: ServiceProcess };
  beforeAll(async () => {
    started.deployment = await startDeployment();
    started.a = await started.deployment.startInstance(env);
  }, PROCESS_TEST_TIMEOUT_MS);
  afterAll(async () => {
    await started.deployment?.close();
  });
  return started;
}
