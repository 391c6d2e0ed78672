import type { ReceivedRequest } from '@app/sandbox';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { SHUTDOWN_MARGIN_MS } from '../apps/payments/src/lifecycle/shutdown-signals';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';
import type { Subscription } from '@app/payments-client';
import { expectData } from './support/api-client';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { paymentRows } from './support/database-reader';
import { PROCESS_TEST_TIMEOUT_MS, startDeployment, type Deployment } from './support/deployment';
import type { ServiceProcess } from './support/service-process';
import { chargesOf, givenSubscription } from './support/subscription-factories';
import { eventually } from './support/waiting';

/** The sandbox's `slow` fault processes a charge 3 s late; every call ends well within this timeout. */
const GATEWAY_TIMEOUT_MS = 8_000;
/** How long a graceful shutdown may take at most before the process gives up (shutdown-signals.ts). */
const SHUTDOWN_BOUND_MS = GATEWAY_TIMEOUT_MS + SHUTDOWN_MARGIN_MS;

/** GET `path` over a connection of its own: its status, or the error code when the connection is refused or dropped. */
function onNewConnection(url: string, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const call = request(`${url}${path}`, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    call.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    call.end();
  });
}

describe('a service stopped with SIGTERM', () => {
  let deployment: Deployment;

  beforeAll(async () => {
    deployment = await startDeployment();
  });
  afterAll(async () => {
    await deployment?.close();
  });

  const startInstance = (env: Record<string, string> = {}) =>
    deployment.startInstance({ PAYSTORY_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS), JANITOR_ENABLED: 'false', ...env });

  /** Sends SIGTERM and returns when it was sent, with the process's exit to come. */
  const terminate = (service: ServiceProcess) => {
    const exit = service.exited();
    service.signal('SIGTERM');
    return { sentAt: Date.now(), exit };
  };

  it(
    'answers the charge the gateway is processing, records it, takes nothing new and exits 0 within the bound',
    async () => {
      const { gateway, db } = deployment;
      const service = await startInstance();
      const key = await givenActiveBillingKey(service);
      const orderId = `shutdown-${randomUUID().slice(0, 18)}`;
      await gateway.fault('charge', 'slow', { ordNo: orderId });
      let answered = false;
      const charge = service.client
        .POST('/v1/payments', {
          params: { header: { 'Idempotency-Key': randomUUID() } },
          body: chargeRequest(key.id, { orderId, amount: 31_000 }),
        })
        .finally(() => (answered = true));
      await eventually(
        () => gateway.chargesFor(orderId),
        (requests) => requests.length === 1,
      );

      const { sentAt, exit } = terminate(service);
      // Readiness, like any new request, is refused while the charge is still at the gateway: a connection the
      // kernel took just before the listener closed is reset, a request on one already open is answered 503.
      const readiness = await eventually(
        () => onNewConnection(service.url, '/health/ready'),
        (answer) => answer !== 200,
      );
      expect(answered).toBe(false);
      expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(readiness);

      const answer = expectData(await charge, 201);
      expect(answer).toMatchObject({ orderId, status: 'APPROVED', amount: 31_000 });
      const { code, signal, at } = await exit;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(at - sentAt).toBeLessThan(SHUTDOWN_BOUND_MS);
      expect(service.output()).toMatch(/Requests and job passes finished/);

      // Stored as the gateway holds it: one approval of that order, the one the client was told of.
      const [stored] = await paymentRows(db, 'order_id = ?', orderId);
      expect(stored).toMatchObject({ id: answer.id, status: 'APPROVED', tid: answer.tid });
      const { orders } = await gateway.settledLedger();
      expect(orders.filter((o) => o.ordNo === orderId)).toEqual([
        expect.objectContaining({ tid: answer.tid, approved: 31_000, kept: 31_000 }),
      ]);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'gives back a due subscription it claimed but had not sent, so that another instance charges it at once',
    async () => {
      const { gateway, db } = deployment;
      // One charge at a time: while the first is at the gateway, the second waits under its claim.
      const scheduler = { SUBSCRIPTION_INTERVAL_MS: '200', SUBSCRIPTION_CONCURRENCY: '1' };
      const first = await startInstance(scheduler);
      const keys = [await givenActiveBillingKey(first), await givenActiveBillingKey(first)];
      // Both fall due at the same moment, so that one scheduler pass claims both.
      const startAt = new Date(Date.now() + 2_000).toISOString();
      const subscriptions: Subscription[] = [];
      for (const key of keys)
        subscriptions.push(
          await givenSubscription(first, {
            customerId: key.customerId,
            billingKeyId: key.id,
            amount: 9_900,
            goodsName: '월간 구독',
            interval: 'monthly',
            startAt,
          }),
        );
      const orderOf = (s: Subscription) => attemptOrderId(s.id, 0, 0);
      await gateway.fault('charge', 'slow');
      const claims = () =>
        db.query<{ subscription_id: string; status: string }>(
          'SELECT subscription_id, status FROM subscription_charges WHERE subscription_id IN (?, ?)',
          ...subscriptions.map((s) => s.id),
        );
      await eventually(claims, (rows) => rows.length === 2, 15_000);
      const sentOf = (requests: ReceivedRequest[]) =>
        subscriptions.find((s) => requests.some((r) => r.fields.ordNo === orderOf(s)));
      const sent = sentOf(
        await eventually(
          () => gateway.requests('charge'),
          (requests) => !!sentOf(requests),
        ),
      );
      const waiting = subscriptions.find((s) => s !== sent);
      if (!sent || !waiting) throw new Error('Expected one subscription sent and one waiting');

      const { exit } = terminate(first);
      expect((await exit).code).toBe(0);
      // The charge sent is recorded; the claim nothing was sent under is gone, the subscription still due.
      expect(await claims()).toEqual([{ subscription_id: sent.id, status: 'APPROVED' }]);
      expect(await gateway.chargesFor(orderOf(waiting))).toEqual([]);
      expect(first.output()).toContain(`Subscription ${waiting.id}: claim given back unsent`);

      const second = await startInstance(scheduler);
      const charged = await eventually(
        () => chargesOf(second, waiting.id),
        (charges) => charges.some((c) => c.status === 'APPROVED'),
        15_000,
      );
      expect(charged).toEqual([expect.objectContaining({ orderId: orderOf(waiting), status: 'APPROVED' })]);
      const { orders } = await gateway.settledLedger();
      for (const s of subscriptions)
        expect(orders.filter((o) => o.ordNo === orderOf(s))).toEqual([expect.objectContaining({ approved: 9_900 })]);
      await second.kill();
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'exits 1 at once on a second signal, leaving the charge it could not finish to the resolver',
    async () => {
      const { gateway, db } = deployment;
      const service = await startInstance();
      const key = await givenActiveBillingKey(service);
      const orderId = `shutdown-${randomUUID().slice(0, 18)}`;
      await gateway.fault('charge', 'hang-before-processing', { ordNo: orderId });
      const charge = service.client.POST('/v1/payments', { body: chargeRequest(key.id, { orderId }) }).then(
        (r) => `answered ${r.response.status}`,
        () => 'connection lost',
      );
      await eventually(
        () => gateway.chargesFor(orderId),
        (requests) => requests.length === 1,
      );

      const { sentAt, exit } = terminate(service);
      await eventually(
        () => service.output(),
        (output) => output.includes('No new connections or requests'),
      );
      service.signal('SIGTERM');
      const { code, at } = await exit;
      expect(code).toBe(1);
      expect(at - sentAt).toBeLessThan(GATEWAY_TIMEOUT_MS);
      expect(service.output()).toContain('SIGTERM again while shutting down: exiting now');
      expect(await charge).toBe('connection lost');
      // Sent and never answered: neither approved nor declined here, the resolver of the next instance asks the gateway.
      expect((await paymentRows(db, 'order_id = ?', orderId)).map((p) => p.status)).toEqual(['PENDING']);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
