import { SANDBOX_MERCHANTS, startSandbox, type FaultName, type RunningSandbox } from '@app/sandbox';
import { PaymentJanitor } from '../apps/payments/src/payment/resolution/payment-janitor';
import type { BillingKey, ChargeRequest, Payment } from '@app/payments-client';
import { expectData, expectPaymentProblem, expectProblem } from './support/api-client';
import { eventsOf, getPayment } from './support/api-reads';
import { billingKeyRequest, chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { paymentRows } from './support/database-reader';
import { SandboxInspector } from './support/sandbox-inspector';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { TcpLink } from './support/tcp-link';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { eventually, sleep } from './support/waiting';

/**
 * A gateway timeout short enough to keep the suite fast, long enough for a sandbox answer on a
 * loaded machine. The gateway's back-end notifications go nowhere, so that only the transaction
 * query can learn a lost charge's outcome, as when notifications are late.
 */
const GATEWAY_TIMEOUT = { PAYSTORY_TIMEOUT_MS: '400', PUBLIC_BASE_URL: UNREACHABLE_URL };
/** How long after sending the resolver waits before it sends an order the query does not show again (well above the timeout, so a loaded machine cannot reach it before the test looks). */
const STALE_AFTER_MS = 1_500;
const MAX_ATTEMPTS = 3;

describe('charges whose answer is lost', () => {
  let h: ServiceHarness;
  let key: BillingKey;
  let janitor: PaymentJanitor;

  beforeAll(async () => {
    h = await startHarness({
      ...GATEWAY_TIMEOUT,
      JANITOR_STALE_AFTER_MS: String(STALE_AFTER_MS),
      JANITOR_BACKOFF_MS: '0',
      JANITOR_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    });
    janitor = h.service.app.get(PaymentJanitor);
    key = await givenActiveBillingKey(h);
  });
  afterEach(async () => {
    await h.gateway.clearFaults();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function chargeWithLostAnswer(body: ChargeRequest): Promise<Payment> {
    const charged = expectData(await h.client.POST('/v1/payments', { body }), 202);
    expect(charged).toMatchObject({
      status: 'UNKNOWN',
      amount: body.amount,
      tid: null,
      approvalNo: null,
      cancellableAmount: 0,
      failure: null,
    });
    expect(await paymentRows(h.db, 'id = ?', charged.id)).toEqual([expect.objectContaining({ status: 'UNKNOWN' })]);
    return charged;
  }

  /**
   * `processed`: the gateway approved the first request (its answer was lost), so the query finds it.
   * `never arrived`: nothing was processed; "no such order" is never final (the gateway may process a
   * request late), so once the request is stale the same order is sent again and approved, once.
   */
  describe.each<[string, number, FaultName | undefined, 'processed' | 'never arrived']>([
    ['amount 77001 (approved, then no answer)', 77_001, undefined, 'processed'],
    ['a programmed hang after processing', 21_000, 'hang-after-processing', 'processed'],
    ['a programmed hang before processing', 22_000, 'hang-before-processing', 'never arrived'],
    ['a programmed HTTP 500', 23_000, 'http-500', 'never arrived'],
    ['amount 77005 (approved, then a body that is not JSON)', 77_005, undefined, 'processed'],
    ['a programmed malformed answer', 24_000, 'malformed-after-processing', 'processed'],
    ['amount 77007 (approved, then the connection reset)', 77_007, undefined, 'processed'],
    ['a programmed reset', 25_000, 'reset-after-processing', 'processed'],
  ])('%s', (_, amount, fault, gateway) => {
    it(`answers 202 UNKNOWN, then the janitor settles it APPROVED once (first request ${gateway})`, async () => {
      if (fault) await h.gateway.fault('charge', fault);

      const unknown = await chargeWithLostAnswer(chargeRequest(key.id, { amount }));
      await janitor.runNow();
      if (gateway === 'never arrived') {
        // An order the gateway does not know yet is not sent again until well after sending.
        expect((await getPayment(h, unknown.id)).status).toBe('UNKNOWN');
        expect(await h.gateway.chargesFor(unknown.orderId)).toHaveLength(1);
        await sleep(STALE_AFTER_MS);
        await janitor.runNow();
      }
      await janitor.runNow();

      const settled = await getPayment(h, unknown.id);
      const [approval, ...more] = await h.gateway.approvalsFor(unknown.orderId);
      expect(more).toEqual([]);
      expect(settled).toMatchObject({
        status: 'APPROVED',
        amount,
        tid: approval.tid,
        approvalNo: approval.appNo,
        cancellableAmount: amount,
        failure: null,
      });
      expect(await paymentRows(h.db, 'id = ?', unknown.id)).toEqual([
        expect.objectContaining({ status: 'APPROVED', needs_attention: 0 }),
      ]);
      // The same order, never another: sent again only when the gateway had no record of it.
      const sent = await h.gateway.chargesFor(unknown.orderId);
      expect(sent.map((r) => r.fields.ordNo)).toEqual(
        gateway === 'processed' ? [unknown.orderId] : [unknown.orderId, unknown.orderId],
      );
    });
  });

  it.each([
    ['77002 (no answer, nothing processed)', 77_002],
    ['77004 (HTTP 500, nothing processed)', 77_004],
  ])(
    'never declines a charge whose every request is lost (amount %s): the same order is sent again, then a person is asked',
    async (_, amount) => {
      const unknown = await chargeWithLostAnswer(chargeRequest(key.id, { amount }));
      for (let pass = 0; pass < MAX_ATTEMPTS; pass++) {
        await sleep(STALE_AFTER_MS);
        await janitor.runNow();
      }

      const flagged = await getPayment(h, unknown.id);
      expect(flagged).toMatchObject({ status: 'UNKNOWN', amount, tid: null, failure: null, needsAttention: true });
      expect(await h.gateway.approvalsFor(unknown.orderId)).toEqual([]);
      const sent = await h.gateway.chargesFor(unknown.orderId);
      expect(sent.length).toBeGreaterThan(1);
      expect(new Set(sent.map((r) => r.fields.ordNo))).toEqual(new Set([unknown.orderId]));
    },
  );

  it('records payment.unknown, then the outcome, as events', async () => {
    const unknown = await chargeWithLostAnswer(chargeRequest(key.id, { amount: 77_001 }));
    await janitor.runNow();

    const own = (await eventsOf(h, unknown.id)).map((e) => [e.type, e.data.status]);
    expect(own).toEqual([
      ['payment.unknown', 'UNKNOWN'],
      ['payment.approved', 'APPROVED'],
    ]);
  });

  describe('POST /v1/payments/{id}/sync', () => {
    const sync = (id: string) => h.client.POST('/v1/payments/{id}/sync', { params: { path: { id } } });

    it('asks the gateway at once and applies its answer', async () => {
      const unknown = await chargeWithLostAnswer(chargeRequest(key.id, { amount: 77_001 }));

      const synced = await sync(unknown.id);

      const [approval] = await h.gateway.approvalsFor(unknown.orderId);
      expect(expectData(synced, 200)).toMatchObject({
        id: unknown.id,
        status: 'APPROVED',
        tid: approval.tid,
        amount: 77_001,
      });
      expect((await getPayment(h, unknown.id)).status).toBe('APPROVED');
      expect(await h.gateway.chargesFor(unknown.orderId)).toHaveLength(1);
    });

    it('leaves a settled payment as it is', async () => {
      const approved = expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id) }), 201);

      const synced = await sync(approved.id);

      expect(expectData(synced, 200)).toMatchObject({ status: 'APPROVED', tid: approved.tid, amount: approved.amount });
    });

    it('answers 404 for an unknown payment', async () => {
      const missing = await sync('pay_nosuchpayment');
      expectProblem(missing, 404);
      expect(missing.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });

  it(`flags a charge for a person after ${MAX_ATTEMPTS} failed queries, never guessing its outcome`, async () => {
    const unknown = await chargeWithLostAnswer(chargeRequest(key.id, { amount: 77_001 }));
    await h.gateway.fault('query', 'http-500', 1_000);

    for (let sweep = 1; sweep <= MAX_ATTEMPTS; sweep++) {
      await janitor.runNow();
      expect(await getPayment(h, unknown.id)).toMatchObject({
        status: 'UNKNOWN',
        needsAttention: sweep === MAX_ATTEMPTS,
      });
    }
    const queriesWhenFlagged = (await h.gateway.requests('query')).length;
    await janitor.runNow();

    const flagged = await getPayment(h, unknown.id);
    expect(flagged).toMatchObject({
      status: 'UNKNOWN',
      tid: null,
      needsAttention: true,
      attentionReason: expect.stringContaining(String(MAX_ATTEMPTS)),
    });
    expect((await h.gateway.requests('query')).length).toBe(queriesWhenFlagged);
    expect(
      (
        await h.db.query<{ resolve_attempts: number }>('SELECT resolve_attempts FROM payments WHERE id = ?', unknown.id)
      )[0].resolve_attempts,
    ).toBe(MAX_ATTEMPTS);
    expect(await h.gateway.chargesFor(unknown.orderId)).toHaveLength(1);

    // A person asks again once the gateway answers queries: the truth clears the flag.
    await h.gateway.clearFaults();
    const synced = await h.client.POST('/v1/payments/{id}/sync', { params: { path: { id: unknown.id } } });
    expect(synced.data).toMatchObject({ status: 'APPROVED', needsAttention: false, attentionReason: null });
  });
});

describe('the janitor on its schedule', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({
      ...GATEWAY_TIMEOUT,
      JANITOR_ENABLED: 'true',
      JANITOR_INTERVAL_MS: '100',
      JANITOR_STALE_AFTER_MS: String(STALE_AFTER_MS),
      JANITOR_BACKOFF_MS: '0',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('settles an unknown charge by itself', async () => {
    const key = await givenActiveBillingKey(h);
    const charged = expectData(
      await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 77_001 }) }),
      202,
    );

    const settled = await eventually(
      () => getPayment(h, charged.id),
      (p) => p.status !== 'UNKNOWN',
    );

    const approvals = await h.gateway.approvalsFor(charged.orderId);
    expect(settled).toMatchObject({ status: 'APPROVED', tid: approvals[0].tid });
    expect(await h.gateway.chargesFor(charged.orderId)).toHaveLength(1);
  });
});

describe('a gateway that refuses connections', () => {
  let sandbox: RunningSandbox;
  let h: ServiceHarness;
  let key: BillingKey;

  beforeAll(async () => {
    sandbox = await startSandbox({ logger: false });
    h = await startHarness({
      ...GATEWAY_TIMEOUT,
      PAYSTORY_BASE_URL: sandbox.baseUrl,
      PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
      PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
    });
    key = await givenActiveBillingKey(h);
    // Nothing listens on the gateway's port from now on.
    await sandbox.close();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers a charge with 502 and never reports it approved', async () => {
    const refused = await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 30_000 }) });

    const { payment } = expectPaymentProblem(refused, 502);
    expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const stored = await paymentRows(h.db, 'billing_key_id = ?', key.id);
    expect(stored).toHaveLength(1);
    expect(stored[0].status).not.toBe('APPROVED');
    expect(stored[0].tid).toBeNull();
    expect(payment).toMatchObject({ id: stored[0].id, status: stored[0].status, tid: null });
  });

  it('answers a billing key issue with 502 and stores no key', async () => {
    const body = billingKeyRequest();

    const refused = await h.client.POST('/v1/billing-keys', { body });

    expectProblem(refused, 502);
    expect(await h.db.query('SELECT id FROM billing_keys WHERE customer_id = ?', body.customerId)).toEqual([]);
  });
});

describe('a gateway that refused connections and is back', () => {
  let sandbox: RunningSandbox;
  let link: TcpLink;
  let h: ServiceHarness;
  let gateway: SandboxInspector;

  beforeAll(async () => {
    sandbox = await startSandbox({ logger: false });
    gateway = new SandboxInspector(sandbox.baseUrl);
    link = new TcpLink(sandbox.baseUrl);
    await link.up();
    h = await startHarness({
      ...GATEWAY_TIMEOUT,
      PAYSTORY_BASE_URL: link.url,
      PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
      PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
    });
  });
  afterAll(async () => {
    await h?.close();
    await link?.down();
    await sandbox?.close();
  });

  it('charges once when the refused charge is retried with the same Idempotency-Key: the same payment, sent now', async () => {
    const key = await givenActiveBillingKey(h);
    const body = chargeRequest(key.id, { amount: 24_000 });
    const charge = () =>
      h.client.POST('/v1/payments', { params: { header: { 'Idempotency-Key': `retry-${key.id}` } }, body });

    await link.down();
    const refused = await charge();
    await link.up();
    const retried = await charge();

    const { payment } = expectPaymentProblem(refused, 502);
    expect(payment).toMatchObject({ status: 'DECLINED', failure: { code: 'GATEWAY_UNREACHABLE' } });
    const approved = expectData(retried, 201);
    expect(approved).toMatchObject({
      id: payment.id,
      orderId: payment.orderId,
      status: 'APPROVED',
      amount: 24_000,
    });
    expect(await gateway.chargesFor(approved.orderId)).toHaveLength(1);
    expect((await gateway.approvalFor(approved.orderId)).amount).toBe(24_000);
    expect(await paymentRows(h.db, 'billing_key_id = ?', key.id)).toHaveLength(1);
  });
});
