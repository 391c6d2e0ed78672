import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SANDBOX_MERCHANTS, startSandbox, type RunningSandbox } from '@app/sandbox';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { databaseReader, type DatabaseReader } from './support/database-reader';
import { eventually } from './support/eventually';
import { expectStatus, type PaymentBody, unreachableUrl } from './support/factories';
import { SandboxInspector } from './support/sandbox-inspector';
import { spawnService, type ServiceProcess } from './support/service-process';
import { createTestDatabase, type TestDatabase } from './support/test-database';

interface CancellationRow {
  amount: number;
  status: string;
  tid: string | null;
  failure_code: string | null;
}

/** Two service processes start (a few seconds each with ts-node): jest.config's project testTimeout is not applied per test. */
const CRASH_TEST_TIMEOUT_MS = 60_000;

describe('a service killed while cancels are in flight', () => {
  let sandbox: RunningSandbox;
  let gateway: SandboxInspector;
  let database: TestDatabase;
  let db: DatabaseReader;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ logger: false, merchants: [SANDBOX_MERCHANTS.card] });
    gateway = new SandboxInspector(sandbox.baseUrl);
    database = await createTestDatabase();
    db = databaseReader(database);
  });

  afterAll(async () => {
    for (const p of processes) await p.kill();
    await sandbox?.close();
    await db?.close();
    await database?.drop();
  });

  /** Both instances share the database and the gateway, as one deployment restarted. */
  async function startInstance(env: Record<string, string>): Promise<ServiceProcess> {
    const instance = await spawnService({
      DATABASE_URL: database.url,
      PAYSTORY_BASE_URL: sandbox.baseUrl,
      PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
      PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
      // Notifications go nowhere: the restarted instance must learn the truth by itself.
      PUBLIC_BASE_URL: await unreachableUrl(),
      ...env,
    });
    processes.push(instance);
    return instance;
  }

  it('resolves them after a restart from the gateway: the one it made SUCCEEDED with its tid, the other FAILED and released, neither sent again', async () => {
    const first = await startInstance({ PAYSTORY_TIMEOUT_MS: '60000', JANITOR_ENABLED: 'false' });
    const key = await givenActiveBillingKey(first);
    const charged = await first.api<PaymentBody>('POST', '/v1/payments', chargeRequest(key.id, { amount: 200_000 }));
    expectStatus(charged, 201);
    const payment = charged.body;
    // canAmt 77001: the gateway cancels, then never answers; 77002: it never even processes the cancel.
    const inFlight = [77_001, 77_002].map((amount) =>
      first.api('POST', `/v1/payments/${payment.id}/cancel`, { reason: '재시작 중 취소', amount }).then((r) => `answered ${r.status}`, () => 'connection lost'),
    );
    const rows = () => db.query<CancellationRow>('SELECT amount, status, tid, failure_code FROM cancellations WHERE payment_id = ? ORDER BY amount', payment.id);
    await eventually(async () => (await gateway.requests('cancel')).length, (n) => n === 2);
    expect((await rows()).map((c) => c.status)).toEqual(['PENDING', 'PENDING']);

    await first.kill();
    expect(await Promise.all(inFlight)).toEqual(['connection lost', 'connection lost']);

    const second = await startInstance({ PAYSTORY_TIMEOUT_MS: '2000', JANITOR_ENABLED: 'true', JANITOR_INTERVAL_MS: '200', JANITOR_STALE_AFTER_MS: '1000', JANITOR_BACKOFF_MS: '0' });
    const settled = await eventually(
      async () => (await second.api<PaymentBody>('GET', `/v1/payments/${payment.id}`)).body,
      (p) => p.cancelledAmount + p.cancellableAmount === 200_000,
      20_000,
    );

    const [atGateway] = await gateway.approvalsFor(payment.orderId);
    expect(settled).toMatchObject({ status: 'PARTIALLY_CANCELLED', cancelledAmount: 77_001, cancellableAmount: 200_000 - 77_001 });
    expect(atGateway).toMatchObject({ remaining: 200_000 - 77_001, cancellations: [expect.objectContaining({ amount: 77_001 })] });
    expect(await rows()).toEqual([
      { amount: 77_001, status: 'SUCCEEDED', tid: atGateway.cancellations[0].tid, failure_code: null },
      { amount: 77_002, status: 'FAILED', tid: null, failure_code: 'NOT_AT_GATEWAY' },
    ]);
    const sent = (await gateway.requests('cancel')).filter((r) => r.fields.tid === payment.tid);
    expect(sent.map((r) => r.fields.canAmt).sort()).toEqual(['77001', '77002']);
  }, CRASH_TEST_TIMEOUT_MS);
});
