import type { CreateBillingKeyRequest } from '@app/payments-client';
import type { ProblemBody } from './support/api-bodies';
import { callApi, expectData } from './support/api-client';
import {
  CARDS,
  billingKeyRequest,
  chargeRequest,
  givenActiveBillingKey,
  givenDeletedBillingKey,
  newCustomerId,
} from './support/billing-fixtures';
import { countPayments } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';

describe('billing keys', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const issue = (body: CreateBillingKeyRequest) => h.client.POST('/v1/billing-keys', { body });
  const byId = (id: string) => ({ params: { path: { id } } });

  const storedKeys = (customerId: string) =>
    h.db.query<{ id: string; bid: string; status: string; card_no_masked: string }>(
      'SELECT * FROM billing_keys WHERE customer_id = ?',
      customerId,
    );

  describe('API key', () => {
    it.each([
      ['missing', {}],
      ['wrong', { authorization: 'Bearer sk_not_a_key' }],
      ['not a bearer', { authorization: 'Basic c2tfdGVzdF9lMmVfa2V5Og==' }],
    ])('answers 401 problem+json when the key is %s, and issues nothing', async (_, headers) => {
      const registrationsBefore = (await h.gateway.requests('registerBillingKey')).length;
      const body = billingKeyRequest();

      const response = await callApi<ProblemBody>(h.service.url, 'POST', '/v1/billing-keys', body, headers);

      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: expect.any(String),
        title: expect.any(String),
        status: 401,
        detail: expect.any(String),
      });
      expect((await h.gateway.requests('registerBillingKey')).length).toBe(registrationsBefore);
      expect(await storedKeys(String(body.customerId))).toEqual([]);
    });

    it.each(['/V1/billing-keys', '/v1/Billing-Keys'])(
      'guards %s too: routes match without regard to case, so the key check does',
      async (path) => {
        const registrationsBefore = (await h.gateway.requests('registerBillingKey')).length;
        const body = billingKeyRequest();

        const response = await callApi<ProblemBody>(h.service.url, 'POST', path, body, {});

        expect(response.status).toBe(401);
        expect((await h.gateway.requests('registerBillingKey')).length).toBe(registrationsBefore);
        expect(await storedKeys(String(body.customerId))).toEqual([]);
      },
    );

    it('guards reads too', async () => {
      const response = await callApi<ProblemBody>(h.service.url, 'GET', '/v1/payments?customerId=x', undefined, {});
      expect(response.status).toBe(401);
    });
  });

  describe('issue', () => {
    it('issues a key at the gateway and keeps only the masked card number and the bid', async () => {
      const body = billingKeyRequest();

      const issued = expectData(await issue(body), 201);

      expect(issued).toEqual({
        id: expect.stringMatching(/^bk_/),
        customerId: body.customerId,
        payMethod: 'CARD',
        status: 'ACTIVE',
        cardNoMasked: '536510******5678',
        cardCompanyCode: '04',
        cardCompanyName: '삼성',
        issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        deletedAt: null,
      });
      const [row] = await storedKeys(body.customerId);
      expect(row).toMatchObject({ id: issued.id, status: 'ACTIVE', card_no_masked: '536510******5678' });
      const atGateway = (await h.gateway.billingKeys()).find((k) => k.bid === row.bid);
      expect(atGateway?.status).toBe('active');
      expect(JSON.stringify(issued)).not.toContain(row.bid);
    });

    it('answers a refused registration with 422, the gateway code, and stores nothing', async () => {
      const body = billingKeyRequest({ cardNo: CARDS.refusedAtRegistration('0005') });

      const refused = await issue(body);

      expect(refused.response.status).toBe(422);
      expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.error).toMatchObject({ status: 422, code: 'F005', gatewayMessage: expect.any(String) });
      expect(await storedKeys(body.customerId)).toEqual([]);
    });

    it.each([
      ['cardNo', { cardNo: '1234' }],
      ['cardNo', { cardNo: '5365-1000-1234-5678' }],
      ['expiry', { expiry: '2913' }],
      ['expiry', { expiry: '12/29' }],
      ['birthOrBusinessNo', { birthOrBusinessNo: '90010' }],
      ['birthOrBusinessNo', { birthOrBusinessNo: '9001011' }],
      ['birthOrBusinessNo', { cardType: 'personal', birthOrBusinessNo: '1234567890' }],
      ['birthOrBusinessNo', { cardType: 'corporate', birthOrBusinessNo: '900101' }],
      ['cardPassword2', { cardPassword2: '1' }],
      ['cardPassword2', { cardPassword2: '123' }],
      ['cardType', { cardType: 'family' }],
      ['cardCompanyCode', { cardCompanyCode: 'SS' }],
      ['cardCompanyCode', { cardCompanyCode: '99' }],
      ['buyerName', { buyerName: '가'.repeat(11) }],
      ['buyerTel', { buyerTel: '010-1234-5678' }],
      ['buyerEmail', { buyerEmail: 'not an email' }],
      ['goodsName', { goodsName: '가'.repeat(34) }],
      ['customerId', { customerId: '' }],
      ['extra', { extra: 'field' }],
    ])('refuses a bad %s with 400 naming it, before the gateway and the database (%j)', async (field, overrides) => {
      const registrationsBefore = (await h.gateway.requests('registerBillingKey')).length;
      const body = { ...billingKeyRequest(), ...overrides };

      const response = await h.api<ProblemBody>('POST', '/v1/billing-keys', body);

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.errors?.map((e) => e.field)).toEqual([field]);
      expect((await h.gateway.requests('registerBillingKey')).length).toBe(registrationsBefore);
      if (typeof body.customerId === 'string' && body.customerId) expect(await storedKeys(body.customerId)).toEqual([]);
    });

    it('accepts a 10-digit business number for a corporate card', async () => {
      const issued = await issue(billingKeyRequest({ cardType: 'corporate', birthOrBusinessNo: '1234567890' }));
      expect(issued.response.status).toBe(201);
    });
  });

  describe('read', () => {
    it('gets one key by id', async () => {
      const key = await givenActiveBillingKey(h);

      const found = await h.client.GET('/v1/billing-keys/{id}', byId(key.id));

      expect(found.response.status).toBe(200);
      expect(found.data).toEqual(key);
    });

    it('answers 404 problem+json for an unknown id', async () => {
      const missing = await h.client.GET('/v1/billing-keys/{id}', byId('bk_nosuchkey'));
      expect(missing.response.status).toBe(404);
      expect(missing.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(missing.error?.status).toBe(404);
    });

    it("lists a customer's keys, and only theirs, without any bid", async () => {
      const customerId = newCustomerId();
      const first = await givenActiveBillingKey(h, { customerId });
      const second = await givenActiveBillingKey(h, { customerId, cardNo: '5365100012349999' });
      await givenActiveBillingKey(h);

      const listed = expectData(await h.client.GET('/v1/billing-keys', { params: { query: { customerId } } }), 200);

      expect(listed.data.map((k) => k.id).sort()).toEqual([first.id, second.id].sort());
      expect(listed.data.map((k) => k.cardNoMasked).sort()).toEqual(['536510******5678', '536510******9999']);
      for (const row of await storedKeys(customerId)) expect(JSON.stringify(listed)).not.toContain(row.bid);
    });

    it('needs the customerId to list', async () => {
      const response = await h.api<ProblemBody>('GET', '/v1/billing-keys');
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((e) => e.field)).toContain('customerId');
    });
  });

  describe('delete', () => {
    it('deletes at the gateway, then answers the same body again without calling it twice', async () => {
      const key = await givenActiveBillingKey(h);
      const [{ bid }] = await storedKeys(key.customerId);
      const deletionsBefore = (await h.gateway.requests('deleteBillingKey')).length;

      const first = await h.client.DELETE('/v1/billing-keys/{id}', byId(key.id));
      const second = await h.client.DELETE('/v1/billing-keys/{id}', byId(key.id));

      expect(first.response.status).toBe(200);
      expect(first.data).toEqual({ ...key, status: 'DELETED', deletedAt: expect.stringMatching(/^\d{4}-/) });
      expect(second.response.status).toBe(200);
      expect(second.data).toEqual(first.data);
      expect((await h.gateway.requests('deleteBillingKey')).length).toBe(deletionsBefore + 1);
      expect((await h.gateway.billingKeys()).find((k) => k.bid === bid)?.status).toBe('deleted');
      expect((await storedKeys(key.customerId))[0].status).toBe('DELETED');
      expect((await h.client.GET('/v1/billing-keys/{id}', byId(key.id))).data?.status).toBe('DELETED');
    });

    it('answers 404 for an unknown id', async () => {
      expect((await h.client.DELETE('/v1/billing-keys/{id}', byId('bk_nosuchkey'))).response.status).toBe(404);
    });
  });

  describe('charging a key that cannot be charged', () => {
    it('refuses a deleted key with 409 without calling the gateway or writing a payment', async () => {
      const key = await givenDeletedBillingKey(h);
      const chargesBefore = (await h.gateway.requests('charge')).length;
      const paymentsBefore = await countPayments(h.db);

      const refused = await h.client.POST('/v1/payments', { body: chargeRequest(key.id) });

      expect(refused.response.status).toBe(409);
      expect(refused.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused.error?.detail).toContain(key.id);
      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);
      expect(await countPayments(h.db)).toBe(paymentsBefore);
    });

    it('refuses an unknown key with 404 without calling the gateway or writing a payment', async () => {
      const chargesBefore = (await h.gateway.requests('charge')).length;
      const paymentsBefore = await countPayments(h.db);

      const refused = await h.client.POST('/v1/payments', { body: chargeRequest('bk_nosuchkey') });

      expect(refused.response.status).toBe(404);
      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);
      expect(await countPayments(h.db)).toBe(paymentsBefore);
    });
  });
});
