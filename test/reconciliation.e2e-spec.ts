import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { PaymentJanitor } from '../apps/payments/src/payment/resolution/payment-janitor';
import { ReconciliationJob } from '../apps/payments/src/reconciliation/reconciliation.job';
import { seoulDateOf } from '../apps/payments/src/reconciliation/seoul-day';
import type { components, Payment, ReconciliationReport, ReconciliationRun } from '@app/payments-client';
import type { EventBody } from './support/api-bodies';
import { expectData, expectProblem, TEST_API_KEY, type ClientCaller } from './support/api-client';
import { getPayment } from './support/api-reads';
import { CARDS, chargeRequest, givenActiveBillingKey, givenApprovedPayment } from './support/billing-fixtures';
import { billingKeyBid } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { adminQuery, createTestDatabase, type TestDatabase } from './support/test-database';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { eventually, sleep } from './support/waiting';

const TIMEOUT_MS = 400;
const STALE_AFTER_MS = 600;
const LATE_MS = 1_500;
/** Gateway calls a second while reconciling: low, so that spacing them is measurable. */
const RATE_LIMIT = 4;

/** What a `reconciliation.mismatch` event carries: the mismatch and the day. */
type MismatchEventData = components['schemas']['ReconciliationMismatchResponse'] & { date: string };

/** The day's report once no run of it is RUNNING (a 404 until the day's first run is stored). */
async function finishedReport(caller: ClientCaller, date: string): Promise<ReconciliationReport> {
  const answer = await eventually(
    () => caller.client.GET('/v1/reconciliations/{date}', { params: { path: { date } } }),
    ({ data }) => data !== undefined && data.runs.length > 0 && data.runs.every((run) => run.status !== 'RUNNING'),
    30_000,
    100,
  );
  return expectData(answer, 200);
}

const startReconciliation = (caller: ClientCaller, date: string, idempotencyKey?: string) =>
  caller.client.POST('/v1/reconciliations', {
    params: { header: { 'Idempotency-Key': idempotencyKey } },
    body: { date },
  });

/**
 * Daily reconciliation (issue 16) over real HTTP: the service, the sandbox gateway made to disagree
 * with it, and a real database (SQLite, or PostgreSQL under TEST_DATABASE_URL).
 */
describe('reconciliation with the gateway', () => {
  let h: ServiceHarness;
  let database: TestDatabase;
  const today = seoulDateOf(new Date());

  /** Changes a stored row behind the service's back (the set-up of a record that went wrong). */
  async function tamper(sql: string): Promise<void> {
    if (!database.sqlitePath) return adminQuery(database.url, sql);
    const db = new Database(database.sqlitePath, { fileMustExist: true });
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      db.exec(sql);
    } finally {
      db.close();
    }
  }

  async function gatewayCallsSince(since: number) {
    const calls = [...(await h.gateway.requests('query')), ...(await h.gateway.requests('cancel'))];
    return calls
      .filter((r) => Date.parse(r.receivedAt) >= since)
      .sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    h = await startHarness(
      {
        PAYSTORY_TIMEOUT_MS: String(TIMEOUT_MS),
        // The gateway's notifications never arrive: the service learns what the gateway did only by reconciling.
        PUBLIC_BASE_URL: UNREACHABLE_URL,
        JANITOR_STALE_AFTER_MS: String(STALE_AFTER_MS),
        JANITOR_BACKOFF_MS: '0',
        IDEMPOTENCY_LEASE_MS: '1000',
        SUBSCRIPTION_SCHEDULER_ENABLED: 'false',
        RECONCILIATION_RATE_LIMIT: String(RATE_LIMIT),
      },
      { database },
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  const payments: Record<string, Payment> = {};

  it('records each difference with the gateway, corrects what is safe, flags the rest, and emits reconciliation.mismatch', async () => {
    payments.inLine = await givenApprovedPayment(h, 10_000);

    // Reported DECLINED (its resend was declined), then the first request is approved late.
    const declinedKey = await givenActiveBillingKey(h);
    const declinedOrder = `rcd-${declinedKey.id.slice(3, 23)}`;
    await h.gateway.fault('charge', 'late-processing', { ordNo: declinedOrder, delayMs: LATE_MS * 2 });
    const lost = expectData(
      await h.client.POST('/v1/payments', {
        body: chargeRequest(declinedKey.id, { amount: 8_000, orderId: declinedOrder }),
      }),
      202,
    );
    await h.gateway.fault('charge', 'decline', { ordNo: declinedOrder, code: '3002' });
    await sleep(STALE_AFTER_MS);
    await h.service.app.get(PaymentJanitor).runNow();
    payments.declined = await getPayment(h, lost.id);
    expect(payments.declined).toMatchObject({ status: 'DECLINED' });

    // Approved at the gateway after the answer was lost: the service holds it UNKNOWN (after the janitor's pass above).
    const unknownKey = await givenActiveBillingKey(h);
    const unknownOrder = `rcu-${unknownKey.id.slice(3, 23)}`;
    await h.gateway.fault('charge', 'late-processing', { ordNo: unknownOrder, delayMs: LATE_MS });
    payments.unknown = expectData(
      await h.client.POST('/v1/payments', {
        body: chargeRequest(unknownKey.id, { amount: 7_000, orderId: unknownOrder }),
      }),
      202,
    );

    // Cancelled in the gateway's admin console; its notification never reaches the service.
    payments.adminCancelled = await givenApprovedPayment(h, 10_000);
    await h.gateway.adminCancel(payments.adminCancelled.tid, 3_000);

    // Records that went wrong in the database: another amount, an order the gateway never saw.
    payments.otherAmount = await givenApprovedPayment(h, 10_000);
    await tamper(`UPDATE payments SET amount = 12000 WHERE id = '${payments.otherAmount.id}'`);
    payments.unknownAtGateway = await givenApprovedPayment(h, 5_000);
    const ghostOrder = `ghost-${payments.unknownAtGateway.id.slice(4, 20)}`;
    await tamper(`UPDATE payments SET order_id = '${ghostOrder}' WHERE id = '${payments.unknownAtGateway.id}'`);

    await h.gateway.settledLedger();
    expect(await getPayment(h, payments.unknown.id)).toMatchObject({ status: 'UNKNOWN' });
    expect(await getPayment(h, payments.declined.id)).toMatchObject({ status: 'DECLINED' });

    const startedAt = Date.now();
    const started = expectData(await startReconciliation(h, today), 202);
    expect(started.runs.map((r) => [r.merchant, r.status, r.attempt])).toEqual([
      ['card', 'RUNNING', 1],
      ['phone', 'RUNNING', 1],
    ]);
    const report = await finishedReport(h, today);

    const card = report.runs.find((r) => r.merchant === 'card') as ReconciliationRun;
    expect(card).toMatchObject({ status: 'COMPLETED', attempt: 1, triggeredBy: 'api' });
    expect(card.counts).toEqual({ checked: 6, matched: 1, corrected: 3, attention: 2, unchecked: 0, mismatches: 5 });
    expect(report.runs.find((r) => r.merchant === 'phone')?.counts).toMatchObject({ checked: 0, mismatches: 0 });
    const found = card.mismatches.map((m) => [m.paymentId, m.kind, m.resolution]);
    expect(found).toEqual(
      expect.arrayContaining([
        [payments.unknown.id, 'status', 'corrected'],
        [payments.declined.id, 'status', 'corrected'],
        [payments.adminCancelled.id, 'cancelled_amount', 'corrected'],
        [payments.otherAmount.id, 'amount', 'attention'],
        [payments.unknownAtGateway.id, 'missing_at_gateway', 'attention'],
      ]),
    );
    expect(found).toHaveLength(5);
    expect(card.mismatches.find((m) => m.kind === 'amount')).toMatchObject({
      ours: { status: 'APPROVED', amount: 12_000, cancelledAmount: 0 },
      gateway: { status: 'APPROVED', amount: 10_000, cancelledAmount: 0 },
    });
    expect(card.mismatches.find((m) => m.kind === 'cancelled_amount')).toMatchObject({
      ours: { status: 'APPROVED', cancelledAmount: 0 },
      gateway: { status: 'PARTIALLY_CANCELLED', cancelledAmount: 3_000 },
    });

    // Corrected: the service now holds what the gateway kept.
    for (const key of ['unknown', 'declined', 'adminCancelled']) {
      const now = await getPayment(h, payments[key].id);
      const ledger = await h.gateway.ledgerFor(now.orderId);
      expect([key, now.amount, now.cancelledAmount]).toEqual([key, ledger?.approved, ledger?.cancelled]);
    }
    expect(await getPayment(h, payments.unknown.id)).toMatchObject({ status: 'APPROVED', amount: 7_000 });
    // The late approval of a charge reported DECLINED is cancelled at the gateway (the late-approval policy).
    expect(await getPayment(h, payments.declined.id)).toMatchObject({ status: 'CANCELLED', cancelledAmount: 8_000 });
    expect(await h.gateway.ledgerFor(declinedOrder)).toMatchObject({ approved: 8_000, cancelled: 8_000, kept: 0 });
    expect(await getPayment(h, payments.adminCancelled.id)).toMatchObject({
      status: 'PARTIALLY_CANCELLED',
      cancelledAmount: 3_000,
      needsAttention: false,
    });
    // Left for a person: flagged, amounts untouched.
    expect(await getPayment(h, payments.otherAmount.id)).toMatchObject({
      status: 'APPROVED',
      amount: 12_000,
      needsAttention: true,
      attentionReason: expect.stringContaining(`Reconciliation of ${today}`),
    });
    expect(await getPayment(h, payments.unknownAtGateway.id)).toMatchObject({
      status: 'APPROVED',
      needsAttention: true,
    });
    expect(await getPayment(h, payments.inLine.id)).toMatchObject({ needsAttention: false });

    const events = expectData(await h.client.GET('/v1/events', { params: { query: { limit: 500 } } }), 200);
    // openapi.json leaves an event's `data` open: a mismatch event carries the mismatch.
    const mismatchEvents = (events.data as unknown as EventBody<MismatchEventData>[]).filter(
      (e) => e.type === 'reconciliation.mismatch',
    );
    expect(mismatchEvents.map((e) => [e.data.paymentId, e.data.kind, e.data.date]).sort()).toEqual(
      card.mismatches.map((m) => [m.paymentId, m.kind, today]).sort(),
    );

    // Within the rate: no second holds more than RATE_LIMIT gateway calls (queries and the cancel a correction made).
    const calls = await gatewayCallsSince(startedAt);
    expect(calls.length).toBeGreaterThanOrEqual(7);
    for (let i = 0; i + RATE_LIMIT < calls.length; i++)
      expect(Date.parse(calls[i + RATE_LIMIT].receivedAt) - Date.parse(calls[i].receivedAt)).toBeGreaterThanOrEqual(
        1_000,
      );
  });

  it('exports the report as CSV: a header row, one quoted line per mismatch, no card data or billing keys', async () => {
    const csv = await fetch(`${h.service.url}/v1/reconciliations/${today}`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}`, accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="reconciliation-${today}.csv"`);
    const text = await csv.text();
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(header).toBe(
      'date,merchant,run_id,attempt,mismatch_id,payment_id,order_id,kind,resolution,ours_status,ours_amount,ours_cancelled_amount,gateway_status,gateway_amount,gateway_cancelled_amount,detail,found_at',
    );
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes(payments.otherAmount.id))).toMatch(
      new RegExp(
        `^${today},card,rec_\\w+,1,rcm_\\w+,${payments.otherAmount.id},[^,]+,amount,attention,APPROVED,12000,0,APPROVED,10000,0,`,
      ),
    );
    expect(text).not.toContain(CARDS.normal);
    const keyIds = await h.db.query<{ id: string }>('SELECT id FROM billing_keys');
    for (const { id } of keyIds) expect(text).not.toContain(await billingKeyBid(h.db, id));

    const byQuery = await h.client.GET('/v1/reconciliations/{date}', {
      params: { path: { date: today }, query: { format: 'csv' } },
      parseAs: 'text',
    });
    expect(byQuery.data).toBe(text);
    const json = await h.client.GET('/v1/reconciliations/{date}', {
      params: { path: { date: today }, query: { format: 'json' } },
      headers: { accept: 'text/csv' },
    });
    expect(json.data?.date).toBe(today);
  });

  it('refuses bad input with a 400 naming the field, and asks the gateway nothing', async () => {
    const before = (await h.gateway.requests('query')).length;
    const runsBefore = await h.db.query<{ attempt: number }>('SELECT attempt FROM reconciliation_runs');
    const tomorrow = seoulDateOf(new Date(Date.now() + 86_400_000));

    for (const body of [{}, { date: '2026-13-01' }, { date: '2026/03/01' }, { date: 20260301 }, { date: tomorrow }]) {
      const refused = await h.api<{ errors: { field: string }[] }>('POST', '/v1/reconciliations', body);
      expect([JSON.stringify(body), refused.status, refused.headers.get('content-type')]).toEqual([
        JSON.stringify(body),
        400,
        expect.stringContaining('application/problem+json'),
      ]);
      expect(refused.body.errors.map((e) => e.field)).toEqual(['date']);
    }
    const future = await h.api<{ detail: string }>('POST', '/v1/reconciliations', { date: tomorrow });
    expect(future.body.detail).toMatch(/date must not be in the future/);
    const merchant = await h.api<{ errors: { field: string }[] }>('POST', '/v1/reconciliations', {
      date: today,
      merchant: 'nobody',
    });
    expect([merchant.status, merchant.body.errors.map((e) => e.field)]).toEqual([400, ['merchant']]);
    const extra = await h.api('POST', '/v1/reconciliations', { date: today, force: true });
    expect(extra.status).toBe(400);

    for (const path of ['/v1/reconciliations/2026-02-30', `/v1/reconciliations/${tomorrow}`]) {
      const refused = await h.api<{ errors: { field: string }[] }>('GET', path);
      expect([path, refused.status, refused.body.errors.map((e) => e.field)]).toEqual([path, 400, ['date']]);
    }
    const format = await h.api<{ errors: { field: string }[] }>('GET', `/v1/reconciliations/${today}?format=xml`);
    expect([format.status, format.body.errors.map((e) => e.field)]).toEqual([400, ['format']]);
    expectProblem(await h.client.GET('/v1/reconciliations/{date}', { params: { path: { date: '2020-01-01' } } }), 404);

    expect((await h.gateway.requests('query')).length).toBe(before);
    expect(await h.db.query('SELECT attempt FROM reconciliation_runs')).toEqual(runsBefore);
  });

  it('runs a day once at a time: of two concurrent requests one starts the next attempt, the other is 409', async () => {
    const startedAt = Date.now();
    const [a, b] = await Promise.all([
      startReconciliation(h, today, 'rerun-a'),
      startReconciliation(h, today, 'rerun-b'),
    ]);
    expect([a.response.status, b.response.status].sort()).toEqual([202, 409]);
    const conflict = a.response.status === 409 ? a : b;
    expect(conflict.error).toMatchObject({ status: 409, detail: expect.stringContaining('is running now') });

    const report = await finishedReport(h, today);
    const card = report.runs.find((r) => r.merchant === 'card') as ReconciliationRun;
    expect(card).toMatchObject({ status: 'COMPLETED', attempt: 2 });
    // What was corrected is in line now; what was left for a person is found again.
    expect(card.counts).toEqual({ checked: 6, matched: 4, corrected: 0, attention: 2, unchecked: 0, mismatches: 2 });
    expect(
      card.mismatches
        .filter((m) => m.attempt === 2)
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['amount', 'missing_at_gateway']);
    // Each payment was asked about once: the day was not run twice.
    const orders = (await gatewayCallsSince(startedAt)).map((r) => r.fields.ordNo);
    expect(orders).toHaveLength(6);
    expect(new Set(orders).size).toBe(6);

    // The same Idempotency-Key answers the first response again and starts nothing.
    const winner = a.response.status === 202 ? 'rerun-a' : 'rerun-b';
    const replayed = await startReconciliation(h, today, winner);
    expect(replayed.response.status).toBe(202);
    expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
    expect((await finishedReport(h, today)).runs.find((r) => r.merchant === 'card')?.attempt).toBe(2);
  });

  describe('the daily job', () => {
    let scheduled: ServiceHarness;
    afterAll(async () => {
      await scheduled?.close();
    });

    it('reconciles the previous Seoul day once the configured Seoul time has passed, once', async () => {
      scheduled = await startHarness({ RECONCILIATION_ENABLED: 'true', RECONCILIATION_RUN_AT: '00:00' });
      const yesterday = seoulDateOf(new Date(Date.parse(`${today}T00:00:00+09:00`) - 1));

      const report = await finishedReport(scheduled, yesterday);
      expect(report.runs.map((r) => [r.merchant, r.status, r.triggeredBy, r.attempt])).toEqual([
        ['card', 'COMPLETED', 'schedule', 1],
        ['phone', 'COMPLETED', 'schedule', 1],
      ]);
      await scheduled.service.app.get(ReconciliationJob).runNow();
      expect((await finishedReport(scheduled, yesterday)).runs.map((r) => r.attempt)).toEqual([1, 1]);
    });
  });
});
