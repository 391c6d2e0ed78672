import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { PaystorySigner, systemClock } from '@app/paystory';
import type { AuthSession } from '@app/payments-client';
import { GatewayTestClient } from '@app/sandbox/testing/gateway-test-client';
import { seoulDateOf } from '../apps/payments/src/reconciliation/seoul-day';
import { eventsOf, paymentsForOrder } from './support/api-reads';
import { expectData, expectStatus, type ApiResponse, type ServiceCaller } from './support/api-client';
import { registerInAuthWindow } from './support/auth-window';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { NOTIFICATION_PATH, postNotificationForm } from './support/notification-factories';
import {
  ACME,
  startTenantMerchantsHarness,
  TENANT_MERCHANTS,
  type TenantMerchant,
  type TenantMerchantsHarness,
} from './support/tenant-merchants';
import { eventually } from './support/waiting';

const { card, phone, acmeCard, acmePhone } = TENANT_MERCHANTS;
/** A tenant without merchants of its own: it shares the default tenant's. */
const SHOP = 'shop-2';

/**
 * Each tenant's merchant set (docs/tenants.md "Merchants per tenant"), proved by what the gateway
 * received: acme's requests go out under acme's own MIDs, every other tenant's under the shared
 * ones; no API request chooses a merchant but a reconciliation, which cannot name another tenant's.
 */
describe("a tenant's own merchants", () => {
  let h: TenantMerchantsHarness;
  let acme: ServiceCaller;
  let shop: ServiceCaller;

  beforeAll(async () => {
    h = await startTenantMerchantsHarness();
    acme = await h.keyOf(ACME);
    shop = await h.keyOf(SHOP);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** What the stored row of a billing key or payment says its merchant is. */
  async function storedMerchant(table: 'billing_keys' | 'payments', id: string) {
    return h.db.query<{ tenant_id: string; merchant: string; mid: string }>(
      `SELECT tenant_id, merchant, mid FROM ${table} WHERE id = ?`,
      id,
    );
  }

  it.each([
    ['acme', ACME, acmeCard],
    ['the default tenant', 'default', card],
    ['a tenant without merchants of its own', SHOP, card],
  ] as const)(
    "issues, charges, cancels and deletes the card billing of %s under its tenant's MID at the gateway",
    async (_, tenantId, merchant: TenantMerchant) => {
      const caller = tenantId === ACME ? acme : tenantId === SHOP ? shop : h;
      const key = await givenActiveBillingKey(caller);
      const payment = expectData(
        await caller.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 11_000 }) }),
        201,
      );
      expectData(
        await caller.client.POST('/v1/payments/{id}/cancel', {
          params: { path: { id: payment.id } },
          body: { amount: 4_000, reason: '부분 환불' },
        }),
        200,
      );
      expectData(await caller.client.DELETE('/v1/billing-keys/{id}', { params: { path: { id: key.id } } }), 200);

      const [{ bid, order_no: registrationOrder }] = await h.db.query<{ bid: string; order_no: string }>(
        'SELECT bid, order_no FROM billing_keys WHERE id = ?',
        key.id,
      );
      const midsOf = async (
        endpoint: 'registerBillingKey' | 'deleteBillingKey',
        field: 'ordNo' | 'bid',
        value: string,
      ) => (await h.gateway.requests(endpoint)).filter((r) => r.fields[field] === value).map((r) => r.fields.mid);
      expect(await midsOf('registerBillingKey', 'ordNo', registrationOrder)).toEqual([merchant.mid]);
      expect((await h.gateway.chargesFor(payment.orderId)).map((r) => r.fields.mid)).toEqual([merchant.mid]);
      expect((await h.gateway.cancelsOf(payment.tid)).map((r) => r.fields.mid)).toEqual([merchant.mid]);
      expect(await midsOf('deleteBillingKey', 'bid', bid)).toEqual([merchant.mid]);
      // The gateway's books: the approval and its cancel are the merchant's.
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({
        mid: merchant.mid,
        approved: 11_000,
        cancelled: 4_000,
      });
      const stored = { tenant_id: tenantId, merchant: merchant.name, mid: merchant.mid };
      expect(await storedMerchant('billing_keys', key.id)).toEqual([stored]);
      expect(await storedMerchant('payments', payment.id)).toEqual([stored]);
    },
  );

  it.each([
    ['acme', ACME, acmePhone],
    ['the default tenant', 'default', phone],
  ] as const)(
    "registers the phone billing of %s, and makes its first charge, under its tenant's phone MID",
    async (_, tenantId, merchant: TenantMerchant) => {
      const caller = tenantId === ACME ? acme : h;
      const opened: AuthSession = expectData(
        await caller.client.POST('/v1/billing-keys/auth-sessions', {
          body: {
            customerId: `cus_phone_${tenantId}`,
            payMethod: 'PHONE',
            amount: 9_900,
            goodsName: '휴대폰 월간 구독',
            buyerName: '홍길동',
            buyerTel: '01012345678',
          },
        }),
        201,
      );
      expect(opened.fields?.mid).toBe(merchant.mid);

      expect(/data-status="(\w+)"/.exec(await registerInAuthWindow(opened))?.[1]).toBe('success');

      const completed = expectData(
        await caller.client.GET('/v1/billing-keys/auth-sessions/{id}', { params: { path: { id: opened.id } } }),
        200,
      );
      const paymentId = String(completed.paymentId);
      const [{ order_id: orderId }] = await h.db.query<{ order_id: string }>(
        'SELECT order_id FROM payments WHERE id = ?',
        paymentId,
      );
      expect(await h.gateway.ledgerFor(orderId)).toMatchObject({ mid: merchant.mid, approved: 9_900 });
      const stored = { tenant_id: tenantId, merchant: merchant.name, mid: merchant.mid };
      expect(await storedMerchant('billing_keys', String(completed.billingKeyId))).toEqual([stored]);
      expect(await storedMerchant('payments', paymentId)).toEqual([stored]);
    },
  );

  describe('choosing a merchant by name', () => {
    it('is not part of a charge: a body naming a merchant is refused (400) and nothing reaches the gateway', async () => {
      const key = await givenActiveBillingKey(h);
      const chargesBefore = (await h.gateway.requests('charge')).length;

      const refused = await h.api('POST', '/v1/payments', { ...chargeRequest(key.id), merchant: acmeCard.name });

      expectStatus(refused, 400);
      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);
    });

    /** The answer with the merchant's name and the request's own correlation id taken out. */
    function withoutName(response: ApiResponse<unknown>, name: string) {
      const { correlationId: _ownToEachRequest, ...body } = JSON.parse(
        response.text.split(name).join('{merchant}'),
      ) as Record<string, unknown>;
      return { status: response.status, body };
    }

    it("answers a reconciliation naming another tenant's merchant exactly as one naming an unknown merchant", async () => {
      const date = seoulDateOf(new Date());
      for (const caller of [h, shop]) {
        const theirs = await caller.api('POST', '/v1/reconciliations', { date, merchant: acmeCard.name });
        const unknown = await caller.api('POST', '/v1/reconciliations', { date, merchant: 'no-such-merchant' });

        expectStatus(theirs, 400);
        expect(withoutName(theirs, acmeCard.name)).toEqual(withoutName(unknown, 'no-such-merchant'));
        expect(theirs.text).not.toContain('acme');
      }
      expect(await h.db.query('SELECT merchant FROM reconciliation_runs')).toEqual([]);

      const own = expectData(
        await acme.client.POST('/v1/reconciliations', { body: { date, merchant: acmeCard.name } }),
        202,
      );
      expect(own.runs.map((run) => run.merchant)).toEqual([acmeCard.name]);
    });
  });

  describe("gateway notifications on a tenant's own MID", () => {
    const signer = new PaystorySigner(systemClock);

    it("store a payment the service never saw, and its notification and event, in the MID's tenant", async () => {
      const gateway = new GatewayTestClient(h.gatewayUrl, acmeCard);
      const charge = await gateway.charge(await gateway.billingKey(), 13_000, {
        goodsNm: '외부 결제',
        notiUrl: `${h.service.url}${NOTIFICATION_PATH}`,
      });
      expect(charge.resultCd).toBe('3001');
      const orderId = String(charge.ordNo);

      const [created] = await eventually(
        () => paymentsForOrder(acme, orderId),
        (found) => found.length > 0,
      );

      expect(created).toMatchObject({ tid: charge.tid, status: 'APPROVED', amount: 13_000 });
      expect(await storedMerchant('payments', created.id)).toEqual([
        { tenant_id: ACME, merchant: acmeCard.name, mid: acmeCard.mid },
      ]);
      expect(await h.db.query('SELECT tenant_id FROM gateway_notifications WHERE tid = ?', String(charge.tid))).toEqual(
        [{ tenant_id: ACME }],
      );
      expect((await eventsOf(acme, created.id)).map((e) => [e.tenantId, e.type])).toEqual([[ACME, 'payment.approved']]);
      expect(await paymentsForOrder(h, orderId)).toEqual([]);
      expect(await eventsOf(h, created.id)).toEqual([]);
    });

    it("store one about an order nobody knows with the MID's tenant: acme's own, or default for a shared MID", async () => {
      for (const [merchant, tenantId] of [
        [acmeCard, ACME],
        [card, 'default'],
      ] as const) {
        const tid = `${merchant.mid}010126${String(randomInt(10 ** 13)).padStart(14, '0')}`;
        const ediDate = signer.ediDate();
        const fields = {
          mid: merchant.mid,
          tid,
          oTid: tid,
          ordNo: `never-seen-${tid.slice(-8)}`,
          goodsAmt: '50000',
          resultCd: '3001',
          cancelYN: 'N',
          payMethod: 'CARD',
          ediDate,
          hashStr: signer.notification(merchant, ediDate, '50000'),
        };

        expect(await postNotificationForm(h, fields)).toMatchObject({ status: 200 });

        expect(await h.db.query('SELECT tenant_id, status FROM gateway_notifications WHERE tid = ?', tid)).toEqual([
          { tenant_id: tenantId, status: expect.not.stringMatching(/^REJECTED$/) },
        ]);
        expect(await paymentsForOrder(acme, fields.ordNo)).toEqual([]);
        expect(await paymentsForOrder(h, fields.ordNo)).toEqual([]);
      }
    });
  });
});
