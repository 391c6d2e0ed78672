import type { BillingKey, ChargeRequest, PaymentStatus } from '@app/payments-client';
import { GatewayTestClient } from '@app/sandbox/testing/gateway-test-client';
import type { ProblemBody } from './support/api-bodies';
import { expectData, expectPaymentProblem, expectProblem } from './support/api-client';
import { getPayment } from './support/api-reads';
import { CARDS, chargeRequest, givenActiveBillingKey, newCustomerId } from './support/billing-fixtures';
import { billingKeyBid, countPayments, paymentRows } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';

describe('payments', () => {
  let h: ServiceHarness;
  let key: BillingKey;
  const charge = (body: ChargeRequest) => h.client.POST('/v1/payments', { body });

  beforeAll(async () => {
    h = await startHarness();
    key = await givenActiveBillingKey(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('charge approved', () => {
    it('answers 201 with the amounts, the gateway tid and approval number, and the masked card', async () => {
      const charged = expectData(await charge(chargeRequest(key.id, { amount: 15_000, goodsName: '월간 구독' })), 201);

      const [approval] = await h.gateway.approvalsFor(charged.orderId);
      expect(charged).toMatchObject({
        id: expect.stringMatching(/^pay_/),
        status: 'APPROVED',
        amount: 15_000,
        cancelledAmount: 0,
        cancellableAmount: 15_000,
        tid: approval.tid,
        approvalNo: approval.appNo,
        approvedAt: expect.stringMatching(/^\d{4}-/),
        card: {
          masked: '536510******5678',
          issuerCode: '04',
          issuerName: '삼성',
          acquirerCode: expect.any(String),
          type: expect.any(String),
        },
        failure: null,
      });
      expect(approval).toMatchObject({
        amount: 15_000,
        goodsName: '월간 구독',
        bid: await billingKeyBid(h.db, key.id),
      });
      expect(JSON.stringify(charged)).not.toContain(await billingKeyBid(h.db, key.id));
      expect(await paymentRows(h.db, 'id = ?', charged.id)).toEqual([
        expect.objectContaining({ status: 'APPROVED', amount: 15_000, tid: approval.tid }),
      ]);
      expect(await getPayment(h, charged.id)).toEqual(charged);
    });

    it('generates a unique orderId when none is given and sends it as the ordNo', async () => {
      const first = expectData(await charge(chargeRequest(key.id)), 201);
      const second = expectData(await charge(chargeRequest(key.id)), 201);

      expect(first.orderId).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
      expect(second.orderId).not.toBe(first.orderId);
      expect(await h.gateway.chargesFor(first.orderId)).toHaveLength(1);
      expect(await h.gateway.chargesFor(second.orderId)).toHaveLength(1);
    });

    it("uses the caller's orderId as the gateway's ordNo", async () => {
      const orderId = `order-${Date.now()}`;
      const charged = expectData(await charge(chargeRequest(key.id, { orderId })), 201);

      expect(charged.orderId).toBe(orderId);
      expect((await h.gateway.approvalsFor(orderId)).map((a) => a.tid)).toEqual([charged.tid]);
    });

    it('sends instalments as quotaMon from 50,000 KRW', async () => {
      const charged = expectData(await charge(chargeRequest(key.id, { amount: 50_000, installmentMonths: 3 })), 201);

      expect(charged.installmentMonths).toBe(3);
      const [sent] = await h.gateway.chargesFor(charged.orderId);
      expect(sent.fields).toMatchObject({ goodsAmt: '50000', quotaMon: '03' });
    });

    it('accepts a goodsName of exactly 100 bytes (33 Hangul syllables and a letter)', async () => {
      const charged = await charge(chargeRequest(key.id, { goodsName: `${'가'.repeat(33)}A` }));
      expect(charged.response.status).toBe(201);
    });

    it('refuses a duplicate orderId with 409 and charges it once', async () => {
      const orderId = `dup-${Date.now()}`;
      const first = await charge(chargeRequest(key.id, { orderId }));

      const again = await charge(chargeRequest(key.id, { orderId, amount: 20_000 }));

      const approved = expectData(first, 201);
      expect(again.response.status).toBe(409);
      expect(again.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(expectProblem(again, 409).detail).toContain(orderId);
      expect(await h.gateway.chargesFor(orderId)).toHaveLength(1);
      expect(await paymentRows(h.db, 'order_id = ?', orderId)).toEqual([
        expect.objectContaining({ id: approved.id, status: 'APPROVED', amount: 15_000 }),
      ]);
    });
  });

  describe('charge declined', () => {
    it.each([
      ['3030', '카드 한도초과'],
      ['3003', '분실/도난카드'],
      ['3000', '만료카드'],
    ])('answers a card declined with %s as 422 with the code, and stores DECLINED', async (code, message) => {
      const declining = await givenActiveBillingKey(h, { cardNo: CARDS.decliningWith(code) });

      const declined = await charge(chargeRequest(declining.id, { amount: 12_000 }));

      expect(declined.response.status).toBe(422);
      expect(declined.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = expectPaymentProblem(declined, 422);
      expect(problem).toMatchObject({ status: 422, code, gatewayMessage: message });
      expect(problem.payment).toMatchObject({
        status: 'DECLINED',
        amount: 12_000,
        tid: null,
        cancellableAmount: 0,
        failure: { code, message },
      });
      expect(await paymentRows(h.db, 'id = ?', problem.payment.id)).toEqual([
        expect.objectContaining({ status: 'DECLINED', failure_code: code }),
      ]);
      expect(await getPayment(h, problem.payment.id)).toMatchObject({
        status: 'DECLINED',
        failure: { code },
      });
      expect(await h.gateway.approvalsFor(problem.payment.orderId)).toEqual([]);
    });

    it('answers a key the gateway no longer knows (F002) as 422 DECLINED', async () => {
      const orphan = await givenActiveBillingKey(h);
      await deleteAtGatewayOnly(await billingKeyBid(h.db, orphan.id));

      const declined = await charge(chargeRequest(orphan.id));

      expect(expectProblem(declined, 422)).toMatchObject({
        code: 'F002',
        payment: { status: 'DECLINED', failure: { code: 'F002' } },
      });
    });
  });

  describe('validation', () => {
    it.each([
      ['amount', { amount: 10_000.5 }],
      ['amount', { amount: '10000' }],
      ['amount', { amount: 999 }],
      ['amount', { amount: 0 }],
      ['amount', { amount: -5_000 }],
      ['amount', { amount: undefined }],
      ['installmentMonths', { amount: 60_000, installmentMonths: 13 }],
      ['installmentMonths', { amount: 60_000, installmentMonths: 2.5 }],
      ['installmentMonths', { amount: 49_999, installmentMonths: 3 }],
      ['goodsName', { goodsName: '가'.repeat(34) }],
      ['goodsName', { goodsName: '' }],
      ['orderId', { orderId: 'has space' }],
      ['orderId', { orderId: 'x'.repeat(41) }],
      ['buyerTel', { buyerTel: 'call me' }],
      ['buyerEmail', { buyerEmail: 'nope' }],
      ['billingKeyId', { billingKeyId: undefined }],
      ['cardNo', { cardNo: CARDS.normal }],
    ])('refuses a bad %s with 400 naming it, writing and sending nothing (%j)', async (field, overrides) => {
      const chargesBefore = (await h.gateway.requests('charge')).length;
      const paymentsBefore = await countPayments(h.db);

      const refused = await h.api<ProblemBody>('POST', '/v1/payments', { ...chargeRequest(key.id), ...overrides });

      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors?.map((e) => e.field)).toEqual([field]);
      expect(await countPayments(h.db)).toBe(paymentsBefore);
      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);
    });
  });

  describe('read and list', () => {
    it('answers 404 for an unknown payment', async () => {
      const missing = await h.client.GET('/v1/payments/{id}', { params: { path: { id: 'pay_nosuchpayment' } } });
      expect(missing.response.status).toBe(404);
      expect(missing.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('lists by customer, newest first, paged by cursor', async () => {
      const customerId = newCustomerId();
      const own = await givenActiveBillingKey(h, { customerId });
      const made: string[] = [];
      for (const amount of [1_000, 2_000, 3_000, 4_000, 5_000]) {
        made.push(expectData(await charge(chargeRequest(own.id, { amount })), 201).id);
      }
      const page = async (cursor?: string | null) =>
        expectData(
          await h.client.GET('/v1/payments', {
            params: { query: { customerId, limit: 2, cursor: cursor ?? undefined } },
          }),
          200,
        );

      const first = await page();
      const second = await page(first.nextCursor);
      const third = await page(second.nextCursor);

      expect([...first.data, ...second.data, ...third.data].map((p) => p.id)).toEqual([...made].reverse());
      expect(first.data.map((p) => p.amount)).toEqual([5_000, 4_000]);
      expect(third.data).toHaveLength(1);
      expect(third.nextCursor).toBeNull();
    });

    it('lists by orderId and by status', async () => {
      const customerId = newCustomerId();
      const good = await givenActiveBillingKey(h, { customerId });
      const bad = await givenActiveBillingKey(h, { customerId, cardNo: CARDS.decliningWith('3030') });
      const approved = expectData(await charge(chargeRequest(good.id)), 201);
      const declined = expectPaymentProblem(await charge(chargeRequest(bad.id)), 422).payment;
      const list = async (query: { orderId?: string; customerId?: string; status?: PaymentStatus }) =>
        expectData(await h.client.GET('/v1/payments', { params: { query } }), 200).data;

      const byOrder = await list({ orderId: approved.orderId });
      const declinedOnly = await list({ customerId, status: 'DECLINED' });
      const approvedOnly = await list({ customerId, status: 'APPROVED' });

      expect(byOrder.map((p) => p.id)).toEqual([approved.id]);
      expect(declinedOnly.map((p) => p.id)).toEqual([declined.id]);
      expect(approvedOnly.map((p) => p.id)).toEqual([approved.id]);
    });

    it.each([
      ['status', 'status=LOST'],
      ['cursor', 'cursor=not-a-cursor'],
      ['limit', 'limit=0'],
    ])('refuses a bad %s filter with 400 naming it', async (field, query) => {
      const refused = await h.api<ProblemBody>('GET', `/v1/payments?${query}`);
      expect(refused.status).toBe(400);
      expect(refused.body.errors?.map((e) => e.field)).toContain(field);
    });
  });

  /** Deletes a key at the sandbox behind the service's back (a merchant console, say). */
  async function deleteAtGatewayOnly(bid: string): Promise<void> {
    const client = new GatewayTestClient(h.gatewayUrl);
    const answer = await client.post('/payment.deleteBill', client.deleteFields(bid));
    if (answer.resultCd !== 'F012') throw new Error(`sandbox did not delete the key: ${answer.resultCd}`);
  }
});
