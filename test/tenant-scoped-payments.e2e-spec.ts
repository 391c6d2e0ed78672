import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BillingKey, Payment } from '@app/payments-client';
import { ApiKeysService } from '../apps/payments/src/api-keys/api-keys.service';
import { apiCaller, expectData, expectProblem, type ClientCaller } from './support/api-client';
import {
  billingKeyRequest,
  chargeRequest,
  givenActiveBillingKey,
  givenApprovedPayment,
} from './support/billing-fixtures';
import { openAuthSession, registerInAuthWindow } from './support/auth-window';
import { billingKeyBid } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';

/**
 * Billing keys and payments belong to the tenant whose key created them: another tenant's key
 * gets the same 404 as for an id that does not exist, and nothing reaches the gateway.
 */
describe('payments and billing keys are scoped by tenant', () => {
  let h: ServiceHarness;
  /** The test API key of `API_KEYS`: the tenant `default`. */
  let tenantA: ClientCaller;
  let tenantB: ClientCaller;

  beforeAll(async () => {
    h = await startHarness();
    tenantA = h;
    const { secret } = await h.service.app.get(ApiKeysService).create('tenant-b', 'scoping test');
    tenantB = apiCaller(h.service.url, secret);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A typed call's answer: the problem it carries, and the response. */
  type Answer = { error?: unknown; response: Response };

  /** The answer with every mention of `id` (and its own correlation id) taken out, to compare with the answer for an unknown id. */
  function withoutId(answer: Answer, id: string) {
    const { correlationId: _ownToEachRequest, ...body } = JSON.parse(
      JSON.stringify(answer.error).split(id).join('{id}'),
    ) as Record<string, unknown>;
    return { status: answer.response.status, body };
  }

  async function expectSameAsUnknown(call: (id: string) => Promise<Answer>, id: string, prefix: string) {
    const unknownId = `${prefix}_doesnotexist000000000000`;
    const theirs = await call(id);
    expectProblem(theirs, 404);
    expect(withoutId(theirs, id)).toEqual(withoutId(await call(unknownId), unknownId));
  }

  const byId = (id: string) => ({ params: { path: { id } } });

  describe('billing keys', () => {
    let key: BillingKey;

    beforeAll(async () => {
      key = await givenActiveBillingKey(tenantA);
    });

    it("answers another tenant's GET and DELETE as for an unknown key, and the key stays active", async () => {
      await expectSameAsUnknown((id) => tenantB.client.GET('/v1/billing-keys/{id}', byId(id)), key.id, 'bk');
      await expectSameAsUnknown((id) => tenantB.client.DELETE('/v1/billing-keys/{id}', byId(id)), key.id, 'bk');

      const bid = await billingKeyBid(h.db, key.id);
      expect((await h.gateway.requests('deleteBillingKey')).filter((r) => r.fields.bid === bid)).toEqual([]);
      const mine = expectData(
        await tenantA.client.GET('/v1/billing-keys/{id}', { params: { path: { id: key.id } } }),
        200,
      );
      expect(mine.status).toBe('ACTIVE');
    });

    it("lists only the caller's keys, even for the same customer id", async () => {
      const theirs = expectData(
        await tenantB.client.GET('/v1/billing-keys', { params: { query: { customerId: key.customerId } } }),
        200,
      );
      expect(theirs.data).toEqual([]);

      const own = expectData(
        await tenantB.client.POST('/v1/billing-keys', { body: billingKeyRequest({ customerId: key.customerId }) }),
        201,
      );
      const listedForB = expectData(
        await tenantB.client.GET('/v1/billing-keys', { params: { query: { customerId: key.customerId } } }),
        200,
      );
      expect(listedForB.data.map((k) => k.id)).toEqual([own.id]);
      const listedForA = expectData(
        await tenantA.client.GET('/v1/billing-keys', { params: { query: { customerId: key.customerId } } }),
        200,
      );
      expect(listedForA.data.map((k) => k.id)).toEqual([key.id]);
    });

    it("does not charge another tenant's key: a 404 as for an unknown key, and no charge reaches the gateway", async () => {
      const chargesBefore = (await h.gateway.requests('charge')).length;

      await expectSameAsUnknown((id) => tenantB.client.POST('/v1/payments', { body: chargeRequest(id) }), key.id, 'bk');

      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);
      expect(await h.db.query('SELECT id FROM payments WHERE billing_key_id = ?', key.id)).toEqual([]);
    });
  });

  describe('payments', () => {
    let payment: Payment;

    beforeAll(async () => {
      payment = await givenApprovedPayment(tenantA, 12_000);
    });

    it("answers another tenant's GET, cancel, sync and receipt as for an unknown payment", async () => {
      await expectSameAsUnknown((id) => tenantB.client.GET('/v1/payments/{id}', byId(id)), payment.id, 'pay');
      await expectSameAsUnknown(
        (id) => tenantB.client.POST('/v1/payments/{id}/cancel', { ...byId(id), body: { reason: '환불' } }),
        payment.id,
        'pay',
      );
      await expectSameAsUnknown((id) => tenantB.client.POST('/v1/payments/{id}/sync', byId(id)), payment.id, 'pay');
      await expectSameAsUnknown((id) => tenantB.client.GET('/v1/payments/{id}/receipt', byId(id)), payment.id, 'pay');
    });

    it('is left as it was: no cancel or query reached the gateway for it', async () => {
      expect(await h.gateway.cancelsOf(payment.tid)).toEqual([]);
      expect(await h.gateway.requestsFor('query', payment.orderId)).toEqual([]);
      const mine = expectData(
        await tenantA.client.GET('/v1/payments/{id}', { params: { path: { id: payment.id } } }),
        200,
      );
      expect(mine).toMatchObject({ status: 'APPROVED', cancelledAmount: 0 });
    });

    it("lists only the caller's payments", async () => {
      const byOrder = expectData(
        await tenantB.client.GET('/v1/payments', { params: { query: { orderId: payment.orderId } } }),
        200,
      );
      expect(byOrder.data).toEqual([]);
      const all = expectData(await tenantB.client.GET('/v1/payments', { params: { query: { limit: 200 } } }), 200);
      expect(all.data.map((p) => p.id)).not.toContain(payment.id);
    });

    it('answers an orderId another tenant used with a conflict that names nothing of that payment', async () => {
      const key = await givenActiveBillingKey(tenantB);
      const clash = await tenantB.client.POST('/v1/payments', {
        body: chargeRequest(key.id, { orderId: payment.orderId }),
      });

      expect(JSON.stringify(expectProblem(clash, 409))).not.toContain(payment.id);
      expect((await h.gateway.chargesFor(payment.orderId)).length).toBe(1);
    });

    it("stores a tenant's payment and its cancel in that tenant", async () => {
      const own = await givenApprovedPayment(tenantB, 8_000);
      expectData(
        await tenantB.client.POST('/v1/payments/{id}/cancel', {
          params: { path: { id: own.id } },
          body: { reason: '환불', amount: 3_000 },
        }),
        200,
      );

      const tenants = async (sql: string) =>
        (await h.db.query<{ tenant_id: string }>(sql, own.id)).map((r) => r.tenant_id);
      expect(await tenants('SELECT tenant_id FROM payments WHERE id = ?')).toEqual(['tenant-b']);
      expect(await tenants('SELECT tenant_id FROM cancellations WHERE payment_id = ?')).toEqual(['tenant-b']);
      expect(
        await tenants(
          'SELECT k.tenant_id FROM billing_keys k JOIN payments p ON p.billing_key_id = k.id WHERE p.id = ?',
        ),
      ).toEqual(['tenant-b']);
      await expectSameAsUnknown((id) => tenantA.client.GET('/v1/payments/{id}', byId(id)), own.id, 'pay');
    });
  });

  describe('registration sessions', () => {
    function openSession(caller: ClientCaller, customerId: string, payMethod: 'CARD' | 'PHONE', amount?: number) {
      return openAuthSession(caller, { customerId, payMethod, amount });
    }

    it("issues the key, and the payment made at issuance, in the session's tenant", async () => {
      const session = await openSession(tenantB, 'cus_phone_b', 'PHONE', 9_900);

      expect(/data-status="(\w+)"/.exec(await registerInAuthWindow(session))?.[1]).toBe('success');

      const completed = expectData(
        await tenantB.client.GET('/v1/billing-keys/auth-sessions/{id}', byId(session.id)),
        200,
      );
      expect(completed.status).toBe('COMPLETED');
      const { billingKeyId, paymentId } = completed;
      if (!billingKeyId || !paymentId)
        throw new Error(`the session completed without both ids: ${JSON.stringify(completed)}`);
      expectData(await tenantB.client.GET('/v1/billing-keys/{id}', byId(billingKeyId)), 200);
      expectData(await tenantB.client.GET('/v1/payments/{id}', byId(paymentId)), 200);
      await expectSameAsUnknown((id) => tenantA.client.GET('/v1/billing-keys/{id}', byId(id)), billingKeyId, 'bk');
      await expectSameAsUnknown((id) => tenantA.client.GET('/v1/payments/{id}', byId(id)), paymentId, 'pay');
    });

    it("answers another tenant's session as an unknown one, and stores a session in its tenant", async () => {
      const session = await openSession(tenantB, 'cus_tenant_b', 'CARD');

      await expectSameAsUnknown(
        (id) => tenantA.client.GET('/v1/billing-keys/auth-sessions/{id}', byId(id)),
        session.id,
        'auth',
      );
      expectData(await tenantB.client.GET('/v1/billing-keys/auth-sessions/{id}', byId(session.id)), 200);
      const [row] = await h.db.query<{ tenant_id: string }>(
        'SELECT tenant_id FROM auth_sessions WHERE id = ?',
        session.id,
      );
      expect(row.tenant_id).toBe('tenant-b');
    });
  });
});
