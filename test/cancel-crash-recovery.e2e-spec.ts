import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectData } from './support/api-client';
import { getPayment } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import {
  INSTANCE_KILLED_MID_CALL,
  INSTANCE_RESTARTED,
  PROCESS_TEST_TIMEOUT_MS,
  startDeployment,
  type Deployment,
} from './support/deployment';
import { eventually } from './support/waiting';

interface CancellationRow {
  amount: number;
  status: string;
  tid: string | null;
  failure_code: string | null;
}

describe('a service killed while cancels are in flight', () => {
  let deployment: Deployment;

  beforeAll(async () => {
    deployment = await startDeployment();
  });

  afterAll(async () => {
    await deployment?.close();
  });

  it(
    'resolves them after a restart from the gateway: the one it made SUCCEEDED with its tid, the other FAILED and released, neither sent again',
    async () => {
      // Both instances share the database and the gateway, as one deployment restarted.
      const { gateway, db } = deployment;
      const first = await deployment.startInstance(INSTANCE_KILLED_MID_CALL);
      const key = await givenActiveBillingKey(first);
      const payment = expectData(
        await first.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 200_000 }) }),
        201,
      );
      // canAmt 77001: the gateway cancels, then never answers; 77002: it never even processes the cancel.
      const inFlight = [77_001, 77_002].map((amount) =>
        first.client
          .POST('/v1/payments/{id}/cancel', {
            params: { path: { id: payment.id } },
            body: { reason: '재시작 중 취소', amount },
          })
          .then(
            (r) => `answered ${r.response.status}`,
            () => 'connection lost',
          ),
      );
      const rows = () =>
        db.query<CancellationRow>(
          'SELECT amount, status, tid, failure_code FROM cancellations WHERE payment_id = ? ORDER BY amount',
          payment.id,
        );
      await eventually(
        async () => (await gateway.requests('cancel')).length,
        (n) => n === 2,
      );
      expect((await rows()).map((c) => c.status)).toEqual(['PENDING', 'PENDING']);

      await first.kill();
      expect(await Promise.all(inFlight)).toEqual(['connection lost', 'connection lost']);

      // A partial cancel the gateway does not show stays reserved until the release window has passed too.
      const second = await deployment.startInstance({ ...INSTANCE_RESTARTED, JANITOR_CANCEL_RELEASE_AFTER_MS: '6000' });
      const settled = await eventually(
        () => getPayment(second, payment.id),
        (p) => p.cancelledAmount + p.cancellableAmount === 200_000,
        20_000,
      );

      const atGateway = await gateway.approvalFor(payment.orderId);
      expect(settled).toMatchObject({
        status: 'PARTIALLY_CANCELLED',
        cancelledAmount: 77_001,
        cancellableAmount: 200_000 - 77_001,
      });
      expect(atGateway).toMatchObject({
        remaining: 200_000 - 77_001,
        cancellations: [expect.objectContaining({ amount: 77_001 })],
      });
      expect(await rows()).toEqual([
        { amount: 77_001, status: 'SUCCEEDED', tid: atGateway.cancellations[0].tid, failure_code: null },
        { amount: 77_002, status: 'FAILED', tid: null, failure_code: 'NOT_AT_GATEWAY' },
      ]);
      const sent = await gateway.cancelsOf(payment.tid);
      expect(sent.map((r) => r.fields.canAmt).sort()).toEqual(['77001', '77002']);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
