import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { BillingKeyBody } from './support/api-bodies';
import { expectData, expectProblem } from './support/api-client';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { paymentRows } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { CapturingLogger } from './support/capturing-logger';
import { eventually } from './support/waiting';
import { TcpLink } from './support/tcp-link';
import { createTestDatabase, usingPostgres, type TestDatabase } from './support/test-database';
import { wireTextClient } from './support/wire-text';

/** A way to take the service's database away and give it back, the data kept. */
interface Outage {
  /** The service's DATABASE_URL. */
  serviceUrl: string;
  cut(): Promise<void> | void;
  /** Gives the database back; does nothing when it is not cut. */
  restore(): Promise<void> | void;
  /** Ends what the outage opened (after the service has closed). */
  close(): Promise<void> | void;
}

/** PostgreSQL: the service reaches the server through a TCP link; cutting it is the server going down. */
async function postgresStopped(database: TestDatabase): Promise<Outage> {
  const link = new TcpLink(database.url);
  await link.up();
  let down = false;
  return {
    serviceUrl: link.url,
    cut: async () => {
      await link.down();
      down = true;
    },
    restore: async () => {
      if (down) await link.up();
      down = false;
    },
    close: () => link.down(),
  };
}

/**
 * SQLite has no server to stop. Its honest equivalent: another connection holds the write lock,
 * so the service's writes wait out their busy timeout (5 s) and fail with SQLITE_BUSY.
 */
function sqliteLockedByAnotherWriter(database: TestDatabase): Outage {
  let holder: InstanceType<typeof Database> | undefined;
  const restore = () => {
    holder?.exec('ROLLBACK').close();
    holder = undefined;
  };
  return {
    serviceUrl: database.url,
    cut: () => {
      holder = new Database(String(database.sqlitePath)).exec('BEGIN IMMEDIATE');
    },
    restore,
    close: restore,
  };
}

// On SQLite there is no server to stop: the honest equivalent is a write lock held by another connection.
const OUTAGE = usingPostgres() ? 'stopped' : 'locked by another writer (SQLite)';

describe(`503 with the database ${OUTAGE}`, () => {
  let h: ServiceHarness;
  let outage: Outage;
  let billingKey: BillingKeyBody;
  const logged = new CapturingLogger();

  beforeAll(async () => {
    const database = await createTestDatabase();
    outage = usingPostgres() ? await postgresStopped(database) : sqliteLockedByAnotherWriter(database);
    // No background job competes for the database while it is away: only the request under test.
    h = await startHarness(
      { DATABASE_URL: outage.serviceUrl, EVENTS_RELAY_ENABLED: 'false', SUBSCRIPTION_SCHEDULER_ENABLED: 'false' },
      { database, logger: logged },
    );
    billingKey = await givenActiveBillingKey(h);
  });
  afterAll(async () => {
    await outage?.restore();
    await h?.close();
    await outage?.close();
  });

  it('answers a charge with 503 problem+json and Retry-After, sends nothing to the gateway, and charges once with the same Idempotency-Key when it is back', async () => {
    const idempotencyKey = randomUUID();
    const body = chargeRequest(billingKey.id, { amount: 27_000 });
    // The typed client, keeping the answer's text: nothing of the driver's may be in it.
    const wire = wireTextClient(h.service.url);
    const charge = () =>
      wire.client.POST('/v1/payments', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
    const chargesBefore = (await h.gateway.requests('charge')).length;

    await outage.cut();
    const refused = await charge();

    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(expectProblem(refused, 503)).toMatchObject({ type: '/problems/service_unavailable', status: 503 });
    // Nothing of the driver's reaches the client: no error code, host, port or database name.
    expect(await wire.textOf(refused)).not.toMatch(/ECONN|SQLITE|postgres|127\.0\.0\.1|payments_t_/i);
    expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);
    // The outage is one line, not one per request, and its end another once the instance's heartbeat (every second) gets through.
    const outageLines = () => logged.lines.filter((line) => /^The database (does not answer|answers again)/.test(line));
    expect(outageLines()).toEqual([
      expect.stringMatching(/^The database does not answer \([^)]+\): requests are refused/),
    ]);

    await outage.restore();
    await eventually(outageLines, (lines) => lines.length === 2);
    expect(outageLines()[1]).toMatch(/^The database answers again: 1 requests refused in \d+ ms/);
    const retried = expectData(await charge(), 201);

    expect(retried).toMatchObject({ status: 'APPROVED', amount: 27_000 });
    expect((await h.gateway.requests('charge')).length).toBe(chargesBefore + 1);
    expect(await h.gateway.approvalsFor(retried.orderId)).toHaveLength(1);
    expect(await paymentRows(h.db, 'billing_key_id = ? AND amount = ?', billingKey.id, 27_000)).toHaveLength(1);
  });
});

const describeOnPostgres = usingPostgres() ? describe : describe.skip;

interface ServiceBehindLink {
  h: ServiceHarness;
  link: TcpLink;
  billingKey: BillingKeyBody;
}

/**
 * The service on a fresh PostgreSQL database that it reaches through a {@link TcpLink} (no relay,
 * no scheduler), with an active billing key: set up before the describe's tests, and torn down
 * after them, the link given back first so that the service can close its connections.
 */
function serviceBehindLink(env: Record<string, string>): ServiceBehindLink {
  const setup = {} as ServiceBehindLink;
  beforeAll(async () => {
    const database = await createTestDatabase();
    setup.link = new TcpLink(database.url);
    await setup.link.up();
    setup.h = await startHarness(
      { DATABASE_URL: setup.link.url, EVENTS_RELAY_ENABLED: 'false', SUBSCRIPTION_SCHEDULER_ENABLED: 'false', ...env },
      { database },
    );
    setup.billingKey = await givenActiveBillingKey(setup.h);
  });
  afterAll(async () => {
    await setup.link?.down();
    await setup.link?.up();
    await setup.h?.close();
    await setup.link?.down();
  });
  return setup;
}

describeOnPostgres('503 with a PostgreSQL server that answers nothing (a host that drops packets)', () => {
  const CONNECT_TIMEOUT_MS = 800;
  const setup = serviceBehindLink({ DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) });

  it('answers a charge 503 once DATABASE_CONNECT_TIMEOUT_MS has passed, sends nothing to the gateway, and charges once with the same Idempotency-Key when the server answers again', async () => {
    const { h, link, billingKey } = setup;
    const idempotencyKey = randomUUID();
    const body = chargeRequest(billingKey.id, { amount: 31_000 });
    const charge = () =>
      h.client.POST('/v1/payments', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
    const chargesBefore = (await h.gateway.requests('charge')).length;

    // The pool's connections are cut; every new one is taken by the "server" and never answered.
    link.silence();
    const started = Date.now();
    const refused = await charge();
    const waitedMs = Date.now() - started;

    expect(expectProblem(refused, 503)).toMatchObject({ type: '/problems/service_unavailable' });
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Bounded by the timeout (a statement or two, each waiting for its connection), not by TCP's minutes.
    expect(waitedMs).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS);
    expect(waitedMs).toBeLessThan(8 * CONNECT_TIMEOUT_MS);
    expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);

    await link.down();
    await link.up();
    const retried = expectData(await charge(), 201);

    expect(retried).toMatchObject({ status: 'APPROVED', amount: 31_000 });
    expect((await h.gateway.requests('charge')).length).toBe(chargesBefore + 1);
    expect(await paymentRows(h.db, 'billing_key_id = ? AND amount = ?', billingKey.id, 31_000)).toHaveLength(1);
  });
});

describeOnPostgres('a PostgreSQL connection that goes silent mid-statement (DATABASE_STATEMENT_TIMEOUT_MS)', () => {
  const STATEMENT_TIMEOUT_MS = 1_000;
  // The client gives a statement up once it has had no answer for the timeout and a grace as long again.
  const ANSWER_DEADLINE_MS = 2 * STATEMENT_TIMEOUT_MS;
  const setup = serviceBehindLink({
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    // New connections are not answered either: what follows the failed approval waits this long for one.
    DATABASE_CONNECT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    // A small pool: connections that hung and were never given up would soon be all of it.
    DATABASE_POOL_SIZE: '3',
    // The charge left PENDING is recorded from the gateway's record: its notification, or the janitor's inquiry once stale.
    PAYSTORY_TIMEOUT_MS: '5000',
    JANITOR_ENABLED: 'true',
    JANITOR_INTERVAL_MS: '250',
    JANITOR_STALE_AFTER_MS: '5500',
  });

  it('answers 503 once the approval has gone unanswered past the deadline, and records the charge the gateway approved once the server answers new connections, the hung ones silent for ever', async () => {
    const { h, link, billingKey } = setup;
    const orderId = `silent-${randomUUID().slice(0, 18)}`;
    // The gateway takes 3 s over this charge: the PENDING row is committed by then, the approval not yet written.
    await h.gateway.fault('charge', 'slow', { ordNo: orderId });
    const answered = h.client.POST('/v1/payments', {
      params: { header: { 'Idempotency-Key': randomUUID() } },
      body: chargeRequest(billingKey.id, { orderId, amount: 33_000 }),
    });
    await eventually(
      () => h.gateway.chargesFor(orderId),
      (requests) => requests.length === 1,
    );
    // The pool's connections carry nothing more either way, and new ones are never answered: the approval gets no answer.
    link.hang();
    const hungAt = Date.now();
    const refused = await answered;
    const waitedMs = Date.now() - hungAt;

    expect(expectProblem(refused, 503)).toMatchObject({ type: '/problems/service_unavailable' });
    // Bounded by the deadline (the rest of the gateway's 3 s, then a statement or two), not by TCP's minutes or for ever.
    expect(waitedMs).toBeGreaterThanOrEqual(ANSWER_DEADLINE_MS);
    expect(waitedMs).toBeLessThan(3_000 + 4 * ANSWER_DEADLINE_MS);
    expect(await h.gateway.approvalsFor(orderId)).toHaveLength(1);

    // A failover: the old connections never answer again; only a pool that gave them up can go on.
    link.failOver();
    const [recorded] = await eventually(
      () => paymentRows(h.db, 'order_id = ?', orderId),
      (rows) => rows[0]?.status === 'APPROVED',
      20_000,
    );

    // What the gateway kept is what is recorded: one approval of 33,000, charged once.
    expect(recorded).toMatchObject({ status: 'APPROVED', amount: 33_000 });
    expect(await paymentRows(h.db, 'order_id = ?', orderId)).toHaveLength(1);
    expect(await h.gateway.chargesFor(orderId)).toHaveLength(1);
    expect(await h.gateway.approvalsFor(orderId)).toEqual([expect.objectContaining({ amount: 33_000 })]);
    // The gateway's ledger: the money it kept for the order is the amount recorded.
    expect(await h.gateway.ledgerFor(orderId)).toMatchObject({ approved: 33_000, cancelled: 0, kept: 33_000 });
    expect(recorded.tid).toBe((await h.gateway.ledgerFor(orderId))?.tid);
  });
});
