import { randomUUID } from 'node:crypto';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AuthSession, BillingKey, Payment, ReconciliationReport, Subscription } from '@app/payments-client';
import { ApiKeysService } from '../apps/payments/src/api-keys/api-keys.service';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';
import { PaymentEntity } from '../apps/payments/src/payment/entities/payment.entity';
import { seoulDateOf } from '../apps/payments/src/reconciliation/seoul-day';
import type { EventBody } from './support/api-bodies';
import {
  apiCaller,
  expectData,
  expectProblem,
  expectStatus,
  type ApiResponse,
  type ServiceCaller,
} from './support/api-client';
import { chargeRequest, givenActiveBillingKey, givenApprovedPayment } from './support/billing-fixtures';
import { ConsoleClient, runOperatorsCommand } from './support/console-client';
import { billingKeyBid } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { runDue, SCHEDULER_DRIVEN_BY_TEST } from './support/subscription-factories';
import {
  ACME,
  startTenantMerchantsHarness,
  TENANT_MERCHANTS,
  type TenantMerchantsHarness,
} from './support/tenant-merchants';
import { eventually } from './support/waiting';

const A = 'tenant-a';
const B = 'tenant-b';

/** An event about a payment, billing key, subscription or mismatch (`paymentId`: a charge's, a mismatch's). */
type Envelope = EventBody<{ id: string; paymentId?: string }>;

/** A page of `GET /v1/events`; openapi.json leaves an event's `data` open, read here as an Envelope. */
async function eventPage(
  caller: ServiceCaller,
  query: { limit?: number; after?: string },
): Promise<{ data: Envelope[]; next: string | null }> {
  const page = expectData(await caller.client.GET('/v1/events', { params: { query } }), 200);
  return { data: page.data as unknown as Envelope[], next: page.next };
}

/**
 * Two tenants, each with an API key of its own (ApiKeysService), on one service: every /v1 route
 * answers a request for the other tenant's resource as if it did not exist (404, or a list without
 * it), and sends nothing to the gateway for it; events, notifications and reconciliation mismatches
 * each belong to the tenant of the payment they are about.
 */
describe('tenant isolation over every /v1 route', () => {
  let h: ServiceHarness;
  let a: ServiceCaller;
  let b: ServiceCaller;
  /** Tenant A's resources, which tenant B tries to reach. */
  let key: BillingKey;
  let payment: Payment;
  let subscription: Subscription;
  let session: AuthSession;

  beforeAll(async () => {
    h = await startHarness(SCHEDULER_DRIVEN_BY_TEST);
    const keys = h.service.app.get(ApiKeysService);
    a = apiCaller(h.service.url, (await keys.create(A, 'tenant A')).secret);
    b = apiCaller(h.service.url, (await keys.create(B, 'tenant B')).secret);

    key = await givenActiveBillingKey(a);
    payment = expectData(await a.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 12_000 }) }), 201);
    subscription = expectData(
      await a.client.POST('/v1/subscriptions', {
        body: {
          customerId: key.customerId,
          billingKeyId: key.id,
          amount: 9_900,
          goodsName: '월간 구독',
          interval: 'monthly',
          startAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      }),
      201,
    );
    session = expectData(
      await a.client.POST('/v1/billing-keys/auth-sessions', {
        body: {
          customerId: key.customerId,
          payMethod: 'CARD',
          buyerName: '홍길동',
          buyerTel: '01012345678',
          goodsName: '정기결제 등록',
        },
      }),
      201,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  /** How many requests the sandbox gateway has received, of every kind the service sends for a resource. */
  async function gatewayRequestCount(): Promise<number> {
    const endpoints = ['charge', 'cancel', 'query', 'deleteBillingKey', 'registerBillingKey'] as const;
    const counts = await Promise.all(endpoints.map(async (e) => (await h.gateway.requests(e)).length));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async function eventsOf(caller: ServiceCaller): Promise<Envelope[]> {
    const events: Envelope[] = [];
    for (let after: string | undefined; ;) {
      const page = await eventPage(caller, { limit: 2, after });
      events.push(...page.data);
      if (page.data.length === 0 || !page.next) return events;
      after = page.next;
    }
  }

  const dataSource = () => h.service.app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE));

  describe('billing keys', () => {
    it("answers 404 to another tenant's key, lists none of it, and deletes nothing at the gateway", async () => {
      const sentBefore = await gatewayRequestCount();

      expectProblem(await b.client.GET('/v1/billing-keys/{id}', { params: { path: { id: key.id } } }), 404);
      const listed = await b.client.GET('/v1/billing-keys', { params: { query: { customerId: key.customerId } } });
      expect(expectData(listed, 200).data).toEqual([]);
      expectProblem(await b.client.DELETE('/v1/billing-keys/{id}', { params: { path: { id: key.id } } }), 404);

      expect(await gatewayRequestCount()).toBe(sentBefore);
      const bid = await billingKeyBid(h.db, key.id);
      expect((await h.gateway.billingKeys()).find((k) => k.bid === bid)).toMatchObject({ status: 'active' });
      expect(
        expectData(await a.client.GET('/v1/billing-keys/{id}', { params: { path: { id: key.id } } }), 200),
      ).toMatchObject({
        status: 'ACTIVE',
      });
      const own = await a.client.GET('/v1/billing-keys', { params: { query: { customerId: key.customerId } } });
      expect(expectData(own, 200).data.map((k) => k.id)).toEqual([key.id]);
    });

    it("refuses to charge or subscribe on another tenant's key with 404, sending no charge", async () => {
      const sentBefore = await gatewayRequestCount();

      expectProblem(await b.client.POST('/v1/payments', { body: chargeRequest(key.id) }), 404);
      const subscribe = await b.client.POST('/v1/subscriptions', {
        body: {
          customerId: key.customerId,
          billingKeyId: key.id,
          amount: 9_900,
          goodsName: '구독',
          interval: 'monthly',
        },
      });
      expectProblem(subscribe, 404);

      expect(await gatewayRequestCount()).toBe(sentBefore);
      expect(await h.gateway.chargesOnBid(await billingKeyBid(h.db, key.id))).toHaveLength(1);
    });
  });

  describe('auth sessions', () => {
    it("answers 404 to another tenant's registration session", async () => {
      const path = { params: { path: { id: session.id } } };
      expectProblem(await b.client.GET('/v1/billing-keys/auth-sessions/{id}', path), 404);
      expect(expectData(await a.client.GET('/v1/billing-keys/auth-sessions/{id}', path), 200).id).toBe(session.id);
    });
  });

  describe('payments', () => {
    it("answers 404 to another tenant's payment, its receipt, cancel and sync, and sends the gateway nothing", async () => {
      const path = { params: { path: { id: payment.id } } };
      const sentBefore = await gatewayRequestCount();

      expectProblem(await b.client.GET('/v1/payments/{id}', path), 404);
      expectProblem(await b.client.GET('/v1/payments/{id}/receipt', path), 404);
      expectProblem(
        await b.client.POST('/v1/payments/{id}/cancel', { ...path, body: { amount: 1_000, reason: '남의 결제' } }),
        404,
      );
      expectProblem(await b.client.POST('/v1/payments/{id}/sync', path), 404);

      expect(await gatewayRequestCount()).toBe(sentBefore);
      expect(await h.gateway.cancelsOf(payment.tid)).toEqual([]);
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({ approved: 12_000, cancelled: 0 });
      expect(expectData(await a.client.GET('/v1/payments/{id}', path), 200)).toMatchObject({
        status: 'APPROVED',
        cancelledAmount: 0,
      });
    });

    it("lists none of another tenant's payments, by customer or by order id", async () => {
      for (const query of [{ customerId: payment.customerId }, { orderId: payment.orderId }]) {
        expect(expectData(await b.client.GET('/v1/payments', { params: { query } }), 200).data).toEqual([]);
        const own = expectData(await a.client.GET('/v1/payments', { params: { query } }), 200).data;
        expect(own.map((p) => p.id)).toEqual([payment.id]);
      }
    });

    it('gives each tenant its own payment for the same Idempotency-Key, and replays each to its own tenant', async () => {
      const idempotencyKey = `same-${randomUUID()}`;
      const keyOfB = await givenActiveBillingKey(b);
      const charge = (caller: ServiceCaller, billingKeyId: string) =>
        caller.client.POST('/v1/payments', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: chargeRequest(billingKeyId, { amount: 7_700 }),
        });
      const chargesBefore = (await h.gateway.requests('charge')).length;

      const ofA = expectData(await charge(a, key.id), 201);
      const ofB = expectData(await charge(b, keyOfB.id), 201);
      const againA = expectData(await charge(a, key.id), 201);

      expect(ofA.id).not.toBe(ofB.id);
      expect(ofA.orderId).not.toBe(ofB.orderId);
      expect(againA.id).toBe(ofA.id);
      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore + 2);
      expect(await h.gateway.approvalsFor(ofA.orderId)).toHaveLength(1);
      expect(await h.gateway.approvalsFor(ofB.orderId)).toHaveLength(1);
      expectProblem(await b.client.GET('/v1/payments/{id}', { params: { path: { id: ofA.id } } }), 404);
      expectProblem(await a.client.GET('/v1/payments/{id}', { params: { path: { id: ofB.id } } }), 404);
    });
  });

  describe('subscriptions', () => {
    it("answers 404 to another tenant's subscription and its charges, lists none of it, and changes nothing", async () => {
      const path = { params: { path: { id: subscription.id } } };

      expectProblem(await b.client.GET('/v1/subscriptions/{id}', path), 404);
      expectProblem(await b.client.GET('/v1/subscriptions/{id}/charges', path), 404);
      const listed = await b.client.GET('/v1/subscriptions', { params: { query: { customerId: key.customerId } } });
      expect(expectData(listed, 200).data).toEqual([]);
      expectProblem(await b.client.POST('/v1/subscriptions/{id}/pause', path), 404);
      expectProblem(await b.client.POST('/v1/subscriptions/{id}/resume', path), 404);
      expectProblem(await b.client.POST('/v1/subscriptions/{id}/cancel', path), 404);

      expect(expectData(await a.client.GET('/v1/subscriptions/{id}', path), 200)).toMatchObject({
        status: 'ACTIVE',
        cancelledAt: null,
      });
      const own = await a.client.GET('/v1/subscriptions', { params: { query: { customerId: key.customerId } } });
      expect(expectData(own, 200).data.map((s) => s.id)).toEqual([subscription.id]);
      expect((await eventsOf(a)).filter((e) => e.data.id === subscription.id).map((e) => e.type)).toEqual([
        'subscription.created',
      ]);
    });

    it("charges a subscription's period as a payment of the subscription's tenant", async () => {
      const startAt = new Date();
      const due = expectData(
        await a.client.POST('/v1/subscriptions', {
          body: {
            customerId: key.customerId,
            billingKeyId: key.id,
            amount: 4_900,
            goodsName: '주간 구독',
            interval: 'weekly',
            startAt: startAt.toISOString(),
          },
        }),
        201,
      );

      expect(await runDue(h, startAt)).toBe(1);

      const path = { params: { path: { id: due.id } } };
      const [charge] = expectData(await a.client.GET('/v1/subscriptions/{id}/charges', path), 200).data;
      expect(charge).toMatchObject({ status: 'APPROVED', paymentId: expect.any(String) });
      const paymentPath = { params: { path: { id: String(charge.paymentId) } } };
      expect(expectData(await a.client.GET('/v1/payments/{id}', paymentPath), 200)).toMatchObject({ amount: 4_900 });
      expectProblem(await b.client.GET('/v1/payments/{id}', paymentPath), 404);
      const charged = (await eventsOf(a)).find((e) => e.type === 'subscription.charged' && e.data.id === due.id);
      expect(charged).toMatchObject({ tenantId: A, data: { paymentId: charge.paymentId } });
      expect(await h.db.query('SELECT tenant_id FROM subscription_charges WHERE id = ?', charge.id)).toEqual([
        { tenant_id: A },
      ]);
    });
  });

  describe('events', () => {
    it('shows each tenant its own events only, each carrying its tenant, and pages through them', async () => {
      const ofB = await givenApprovedPayment(b, 3_300);

      const eventsOfA = await eventsOf(a);
      const eventsOfB = await eventsOf(b);

      expect(eventsOfA.length).toBeGreaterThan(2);
      expect(new Set(eventsOfA.map((e) => e.tenantId))).toEqual(new Set([A]));
      expect(new Set(eventsOfB.map((e) => e.tenantId))).toEqual(new Set([B]));
      expect(eventsOfA.filter((e) => e.data.id === payment.id).map((e) => e.type)).toEqual(['payment.approved']);
      expect(eventsOfA.some((e) => e.data.id === key.id && e.type === 'billing_key.issued')).toBe(true);
      expect(eventsOfB.some((e) => e.data.id === ofB.id)).toBe(true);
      const idsOfA = new Set(eventsOfA.map((e) => e.id));
      expect(eventsOfB.filter((e) => idsOfA.has(e.id))).toEqual([]);
      // Another tenant's event id as the cursor tells nothing: the page starts from the caller's first event.
      const fromForeignCursor = await eventPage(b, { after: eventsOfA[0].id });
      expect(fromForeignCursor.data.map((e) => e.id)).toEqual(eventsOfB.map((e) => e.id));
    });

    it("stores a gateway notification about a tenant's payment with that tenant, and its event reaches that tenant only", async () => {
      const approved = await givenApprovedPayment(a, 20_000);

      const cancelTid = (await h.gateway.adminCancel(approved.tid, 5_000)).tid;
      await eventually(
        async () => expectData(await a.client.GET('/v1/payments/{id}', { params: { path: { id: approved.id } } }), 200),
        (p) => p.status === 'PARTIALLY_CANCELLED',
      );

      const event = (await eventsOf(a)).find(
        (e) => e.type === 'payment.partially_cancelled' && e.data.id === approved.id,
      );
      expect(event).toMatchObject({ tenantId: A });
      expect((await eventsOf(b)).filter((e) => e.data.id === approved.id)).toEqual([]);
      // The approval's notification and the admin cancel's: both about A's payment.
      const rows = await eventually(
        () =>
          h.db.query<{ tid: string; tenant_id: string; status: string }>(
            'SELECT tid, tenant_id, status FROM gateway_notifications WHERE order_no = ? ORDER BY received_at',
            approved.orderId,
          ),
        (found) => found.length === 2 && found.every((row) => row.status === 'APPLIED'),
      );
      expect(rows).toEqual([
        { tid: approved.tid, tenant_id: A, status: 'APPLIED' },
        { tid: cancelTid, tenant_id: A, status: 'APPLIED' },
      ]);
    });
  });

  describe('reconciliations', () => {
    it("shows each tenant only its own payments' mismatches, in JSON and CSV, and their events", async () => {
      const today = seoulDateOf(new Date());
      const wrongOfA = await givenApprovedPayment(a, 10_000);
      const wrongOfB = await givenApprovedPayment(b, 10_000);
      // Records that went wrong behind the service's back: the gateway holds 10,000 KRW for each.
      for (const { id } of [wrongOfA, wrongOfB])
        await dataSource().getRepository(PaymentEntity).update({ id }, { amount: 12_000 });

      expectData(await a.client.POST('/v1/reconciliations', { body: { date: today } }), 202);
      const reportOf = async (caller: ServiceCaller) =>
        expectData(
          await eventually(
            () => caller.client.GET('/v1/reconciliations/{date}', { params: { path: { date: today } } }),
            ({ data }) =>
              data !== undefined && data.runs.length > 0 && data.runs.every((run) => run.status === 'COMPLETED'),
            30_000,
            100,
          ),
          200,
        );

      const mismatchesOf = (report: ReconciliationReport) =>
        report.runs.flatMap((run) => run.mismatches.map((m) => m.paymentId));
      expect(mismatchesOf(await reportOf(a))).toEqual([wrongOfA.id]);
      expect(mismatchesOf(await reportOf(b))).toEqual([wrongOfB.id]);
      const card = (await reportOf(b)).runs.find((run) => run.merchant === 'card');
      expect(card?.counts.mismatches).toBe(1);

      const csvOfB = await b.client.GET('/v1/reconciliations/{date}', {
        params: { path: { date: today }, query: { format: 'csv' } },
        parseAs: 'text',
      });
      expect(csvOfB.response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csvOfB.data).toContain(wrongOfB.id);
      expect(csvOfB.data).not.toContain(wrongOfA.id);

      const mismatchEvents = async (caller: ServiceCaller) =>
        (await eventsOf(caller)).filter((e) => e.type === 'reconciliation.mismatch');
      expect((await mismatchEvents(a)).map((e) => [e.tenantId, e.data.paymentId])).toEqual([[A, wrongOfA.id]]);
      expect((await mismatchEvents(b)).map((e) => [e.tenantId, e.data.paymentId])).toEqual([[B, wrongOfB.id]]);
      const rows = await h.db.query('SELECT payment_id, tenant_id FROM reconciliation_mismatches ORDER BY tenant_id');
      expect(rows).toEqual([
        { payment_id: wrongOfA.id, tenant_id: A },
        { payment_id: wrongOfB.id, tenant_id: B },
      ]);
    });
  });

  describe('operations console', () => {
    it("shows operators every tenant's payments and subscriptions, each with its tenant", async () => {
      const password = 'correct horse battery';
      expect(await runOperatorsCommand(h, ['create', '--username', 'olivia'], { env: password })).toMatchObject({
        code: 0,
      });
      const operator = new ConsoleClient(h.service.url);
      expect(await operator.signIn('olivia', password)).toMatchObject({ status: 303 });
      const ofB = await givenApprovedPayment(b, 2_200);

      for (const [shown, tenant] of [
        [payment, A],
        [ofB, B],
      ] as const) {
        const found = await operator.get(`/console/search?q=${shown.orderId}`);
        expect(found.html).toMatch(
          new RegExp(`data-payment-id="${shown.id}">[\\s\\S]*?<td class="tenant">${tenant}</td>`),
        );
        expect((await operator.get(`/console/payments/${shown.id}`)).html).toContain(`<dd id="tenant">${tenant}</dd>`);
      }
      const page = await operator.get(`/console/subscriptions/${subscription.id}`);
      expect(page.html).toContain(`<dd id="tenant">${A}</dd>`);
      const list = await operator.get(`/console/subscriptions?customer=${key.customerId}`);
      expect(list.html).toContain(`<td class="tenant">${A}</td>`);
    });
  });

  it("still serves the default tenant (API_KEYS) none of the two tenants' resources", async () => {
    expectProblem(await h.client.GET('/v1/payments/{id}', { params: { path: { id: payment.id } } }), 404);
    expectProblem(await h.client.GET('/v1/subscriptions/{id}', { params: { path: { id: subscription.id } } }), 404);
    const listed = await h.client.GET('/v1/payments', { params: { query: { customerId: payment.customerId } } });
    expect(expectData(listed, 200).data).toEqual([]);
    const ownKey = await givenActiveBillingKey(h);
    const events = await eventsOf(h);
    expect(events.map((e) => [e.tenantId, e.data.id])).toEqual([['default', ownKey.id]]);
  });
});

/**
 * Reconciliation when a tenant has merchants of its own (docs/tenants.md "Merchants per tenant"):
 * another tenant can neither start nor see a run of them, naming one is answered as an unknown
 * merchant, and no tenant's report lists another's mismatches.
 */
describe("tenant isolation of reconciliations over a tenant's own merchants", () => {
  let h: TenantMerchantsHarness;
  /** acme, with merchants of its own; B shares the default tenant's. */
  let a: ServiceCaller;
  let b: ServiceCaller;

  beforeAll(async () => {
    h = await startTenantMerchantsHarness();
    a = await h.keyOf(ACME);
    b = await h.keyOf(B);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The answer with the merchant's name and the request's own correlation id taken out. */
  function withoutName(response: ApiResponse<unknown>, name: string) {
    const { correlationId: _ownToEachRequest, ...body } = JSON.parse(
      response.text.split(name).join('{merchant}'),
    ) as Record<string, unknown>;
    return { status: response.status, body };
  }

  it("lets tenant B neither start nor see a run of A's own merchant, and neither report lists the other's mismatches", async () => {
    const today = seoulDateOf(new Date());
    const ownMerchant = TENANT_MERCHANTS.acmeCard.name;
    const wrongOfA = await givenApprovedPayment(a, 10_000);
    const wrongOfB = await givenApprovedPayment(b, 10_000);
    // Records that went wrong behind the service's back: the gateway holds 10,000 KRW for each.
    const payments = h.service.app
      .get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE))
      .getRepository(PaymentEntity);
    for (const { id } of [wrongOfA, wrongOfB]) await payments.update({ id }, { amount: 12_000 });

    const named = await b.api('POST', '/v1/reconciliations', { date: today, merchant: ownMerchant });
    const unknown = await b.api('POST', '/v1/reconciliations', { date: today, merchant: 'no-such-merchant' });
    expectStatus(named, 400);
    expect(withoutName(named, ownMerchant)).toEqual(withoutName(unknown, 'no-such-merchant'));
    expect(await h.db.query('SELECT merchant FROM reconciliation_runs')).toEqual([]);

    // B's run of every merchant it may reconcile: the shared ones. A's of its own.
    const startedByB = expectData(await b.client.POST('/v1/reconciliations', { body: { date: today } }), 202);
    expect(startedByB.runs.map((run) => run.merchant)).toEqual(['card', 'phone']);
    const startedByA = await a.client.POST('/v1/reconciliations', { body: { date: today, merchant: ownMerchant } });
    expect(expectData(startedByA, 202).runs.map((run) => run.merchant)).toEqual([ownMerchant, 'card', 'phone']);
    await eventually(
      () => h.db.query<{ status: string }>('SELECT status FROM reconciliation_runs'),
      (runs) => runs.length === 3 && runs.every((run) => run.status === 'COMPLETED'),
      30_000,
      100,
    );

    const reportOf = async (caller: ServiceCaller) =>
      expectData(await caller.client.GET('/v1/reconciliations/{date}', { params: { path: { date: today } } }), 200);
    const mismatchesOf = (report: ReconciliationReport) =>
      report.runs.flatMap((run) => run.mismatches.map((m) => [run.merchant, m.paymentId]));
    const ofA = await reportOf(a);
    const ofB = await reportOf(b);
    expect(ofB.runs.map((run) => run.merchant)).toEqual(['card', 'phone']);
    expect(mismatchesOf(ofB)).toEqual([['card', wrongOfB.id]]);
    expect(ofA.runs.map((run) => run.merchant)).toEqual([ownMerchant, 'card', 'phone']);
    expect(mismatchesOf(ofA)).toEqual([[ownMerchant, wrongOfA.id]]);
    expect(ofA.runs.find((run) => run.merchant === 'card')?.counts.mismatches).toBe(0);

    const csvOfB = await b.client.GET('/v1/reconciliations/{date}', {
      params: { path: { date: today }, query: { format: 'csv' } },
      parseAs: 'text',
    });
    expect(csvOfB.data).toContain(wrongOfB.id);
    expect(csvOfB.data).not.toContain(wrongOfA.id);
    expect(csvOfB.data).not.toContain(ownMerchant);
    const rows = await h.db.query('SELECT payment_id, tenant_id FROM reconciliation_mismatches ORDER BY tenant_id');
    expect(rows).toEqual([
      { payment_id: wrongOfA.id, tenant_id: ACME },
      { payment_id: wrongOfB.id, tenant_id: B },
    ]);
  });
});
