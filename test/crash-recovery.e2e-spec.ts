import { randomUUID } from 'node:crypto';
import { expectData } from './support/api-client';
import { paymentsForOrder } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { paymentRows } from './support/database-reader';
import {
  INSTANCE_KILLED_MID_CALL,
  INSTANCE_RESTARTED,
  PROCESS_TEST_TIMEOUT_MS,
  startDeployment,
  type Deployment,
} from './support/deployment';
import { eventually } from './support/waiting';

describe('a service killed while charges are in flight', () => {
  let deployment: Deployment;

  beforeAll(async () => {
    deployment = await startDeployment();
  });
  afterAll(async () => {
    await deployment?.close();
  });

  /**
   * Both instances share the database and the gateway, as one deployment restarted; a dead
   * instance's key is free a second after its gateway call would have ended, once its heartbeat
   * (left behind by the kill) is a second old.
   */
  const startInstance = (env: Record<string, string>) =>
    deployment.startInstance({
      IDEMPOTENCY_LEASE_MS: String(Number(env.PAYSTORY_TIMEOUT_MS) + 1_000),
      INSTANCE_HEARTBEAT_MS: '200',
      INSTANCE_DEAD_AFTER_MS: '1000',
      ...env,
    });

  it(
    'resolves them after a restart from the gateway, never charging twice',
    async () => {
      const { gateway, db } = deployment;
      const first = await startInstance({ ...INSTANCE_KILLED_MID_CALL, PAYSTORY_TIMEOUT_MS: '10000' });
      const key = await givenActiveBillingKey(first);
      const idempotencyKey = randomUUID();
      const approvedBody = chargeRequest(key.id, { amount: 77_001 });
      // 77001: the gateway approves, then never answers; 77002: it never even processes the charge.
      const inFlight = [
        first.client.POST('/v1/payments', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: approvedBody,
        }),
        first.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 77_002 }) }),
      ].map((request) =>
        request.then(
          (r) => `answered ${r.response.status}`,
          () => 'connection lost',
        ),
      );
      const [approvedOrder, lostOrder] = await eventually(
        () =>
          Promise.all(
            [77_001, 77_002].map(async (amount) => (await paymentRows(db, 'amount = ?', amount))[0]?.order_id),
          ),
        (orders) => orders.every(Boolean),
      );
      await eventually(
        async () => (await gateway.requests('charge')).length,
        (n) => n === 2,
      );
      expect((await paymentRows(db, 'order_id IN (?, ?)', approvedOrder, lostOrder)).map((p) => p.status)).toEqual([
        'PENDING',
        'PENDING',
      ]);

      await first.kill();
      expect(await Promise.all(inFlight)).toEqual(['connection lost', 'connection lost']);

      const second = await startInstance(INSTANCE_RESTARTED);
      const byOrder = async (orderId: string) => (await paymentsForOrder(second, orderId))[0];
      const approved = await eventually(
        () => byOrder(approvedOrder),
        (p) => p.status !== 'PENDING',
        20_000,
      );
      const lost = await eventually(
        () => byOrder(lostOrder),
        (p) => p.status !== 'PENDING',
        20_000,
      );

      const [approval] = await gateway.approvalsFor(approvedOrder);
      expect(approved).toMatchObject({
        status: 'APPROVED',
        amount: 77_001,
        tid: approval.tid,
        approvalNo: approval.appNo,
      });
      // Never concluded "not charged": the same order was sent again (77002 is lost every time) and stays UNKNOWN.
      expect(lost).toMatchObject({ status: 'UNKNOWN', amount: 77_002, tid: null, failure: null });
      expect(await gateway.approvalsFor(lostOrder)).toEqual([]);

      // The client retries the charge it never got an answer to: it finds the same payment.
      const retried = await second.client.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: approvedBody,
      });
      expect(expectData(retried, 201)).toMatchObject({ id: approved.id, status: 'APPROVED', tid: approval.tid });

      expect((await gateway.chargesFor(approvedOrder)).length).toBe(1);
      expect(new Set((await gateway.chargesFor(lostOrder)).map((r) => r.fields.ordNo))).toEqual(new Set([lostOrder]));
      expect(await gateway.approvalsFor(approvedOrder)).toHaveLength(1);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
