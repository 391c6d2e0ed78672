import { randomUUID } from 'node:crypto';
import { SANDBOX_MERCHANTS, startSandbox, type RunningSandbox } from '@app/sandbox';
import { chargeRequest, givenActiveBillingKey, type PaymentBody } from './support/billing-fixtures';
import { databaseReader, paymentRows, type DatabaseReader } from './support/database-reader';
import { eventually } from './support/eventually';
import { SandboxInspector } from './support/sandbox-inspector';
import { spawnService, type ServiceProcess } from './support/service-process';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Two service processes start (a few seconds each with ts-node); jest.config's project testTimeout is not applied per test. */
const TEST_TIMEOUT_MS = 60_000;

describe('a service killed while charges are in flight', () => {
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
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
      IDEMPOTENCY_LEASE_MS: '1000',
      ...env,
    });
    processes.push(instance);
    return instance;
  }

  it('resolves them after a restart from the gateway, never charging twice', async () => {
    const first = await startInstance({ PAYSTORY_TIMEOUT_MS: '60000', JANITOR_ENABLED: 'false' });
    const key = await givenActiveBillingKey(first);
    const idempotencyKey = randomUUID();
    const approvedBody = chargeRequest(key.id, { amount: 77_001 });
    // 77001: the gateway approves, then never answers; 77002: it never even processes the charge.
    const inFlight = [
      first.api('POST', '/v1/payments', approvedBody, { 'idempotency-key': idempotencyKey }),
      first.api('POST', '/v1/payments', chargeRequest(key.id, { amount: 77_002 })),
    ].map((request) => request.then((r) => `answered ${r.status}`, () => 'connection lost'));
    const [approvedOrder, lostOrder] = await eventually(
      () => Promise.all([77_001, 77_002].map(async (amount) => (await paymentRows(db, 'amount = ?', amount))[0]?.order_id)),
      (orders) => orders.every(Boolean),
    );
    await eventually(async () => (await gateway.requests('charge')).length, (n) => n === 2);
    expect((await paymentRows(db, 'order_id IN (?, ?)', approvedOrder, lostOrder)).map((p) => p.status)).toEqual(['PENDING', 'PENDING']);

    await first.kill();
    expect(await Promise.all(inFlight)).toEqual(['connection lost', 'connection lost']);

    const second = await startInstance({ PAYSTORY_TIMEOUT_MS: '2000', JANITOR_ENABLED: 'true', JANITOR_INTERVAL_MS: '200', JANITOR_STALE_AFTER_MS: '1000', JANITOR_BACKOFF_MS: '0' });
    const byOrder = async (orderId: string) => (await second.api<{ data: PaymentBody[] }>('GET', `/v1/payments?orderId=${orderId}`)).body.data[0];
    const approved = await eventually(() => byOrder(approvedOrder), (p) => p.status !== 'PENDING', 20_000);
    const lost = await eventually(() => byOrder(lostOrder), (p) => p.status !== 'PENDING', 20_000);

    const [approval] = await gateway.approvalsFor(approvedOrder);
    expect(approved).toMatchObject({ status: 'APPROVED', amount: 77_001, tid: approval.tid, approvalNo: approval.appNo });
    expect(lost).toMatchObject({ status: 'DECLINED', amount: 77_002, tid: null, failure: { code: 'NOT_AT_GATEWAY' } });
    expect(await gateway.approvalsFor(lostOrder)).toEqual([]);

    // The client retries the charge it never got an answer to: it finds the same payment.
    const retried = await second.api<PaymentBody>('POST', '/v1/payments', approvedBody, { 'idempotency-key': idempotencyKey });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ id: approved.id, status: 'APPROVED', tid: approval.tid });

    expect((await gateway.chargesFor(approvedOrder)).length).toBe(1);
    expect((await gateway.chargesFor(lostOrder)).length).toBe(1);
    expect(await gateway.approvalsFor(approvedOrder)).toHaveLength(1);
  }, TEST_TIMEOUT_MS);
});
