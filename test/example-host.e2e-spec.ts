import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { BillingKey } from '@app/payments-client';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { GatewayTestClient } from '@app/sandbox/testing/gateway-test-client';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/payments-module';
import { expectData, expectProblem, expectStatus } from './support/api-client';
import { billingKeyRequest, chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { startExampleHostHarness, type ExampleHostHarness } from './support/example-host';
import { eventually } from './support/waiting';

const PROBLEM_JSON = /^application\/problem\+json/;
const PLAIN_JSON = /^application\/json/;

interface OrderBody {
  id: string;
  status: string;
  paymentId: string | null;
  giftMessage: string | null;
}

describe('the example host (apps/example-host) mounting PaymentsModule', () => {
  let h: ExampleHostHarness;
  let key: BillingKey;

  beforeAll(async () => {
    h = await startExampleHostHarness('api-keys');
    key = await givenActiveBillingKey(h.payments);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('authenticates the payments API under the prefix: without an API key 401 problem+json, with one the answer', async () => {
    // Without a key on purpose: the raw call.
    const signedOut = await h.payments.api('GET', '/v1/payments', undefined, { authorization: '' });
    expect(signedOut.status).toBe(401);
    expect(signedOut.headers.get('content-type')).toMatch(PROBLEM_JSON);
    // The host's session is not the payments API's key either.
    expect((await h.asUser('bob', 'GET', '/v1/payments')).status).toBe(401);

    const listed = expectData(await h.payments.client.GET('/v1/payments'), 200);
    expect(listed).toMatchObject({ data: expect.any(Array) });
  });

  it('charges an order once at the gateway, and the payment.approved handler marks it paid', async () => {
    const placed = await h.asUser('bob', 'POST', '/v1/orders', {
      billingKeyId: key.id,
      amount: 12_000,
      goodsName: '머그컵',
      giftMessage: 'Happy birthday',
    });
    expectStatus(placed, 201);
    const order = placed.body as unknown as OrderBody;
    // The host's pipe does not whitelist: a field its DTO does not validate is kept.
    expect(order).toMatchObject({ giftMessage: 'Happy birthday', paymentId: expect.stringMatching(/^pay_/) });

    const paid = await eventually(
      async () => (await h.asUser('bob', 'GET', `/v1/orders/${order.id}`)).body as unknown as OrderBody,
      (o) => o.status === 'PAID',
    );
    expect(paid.paymentId).toBe(order.paymentId);
    expect(await h.gateway.chargesFor(order.id)).toHaveLength(1);
    expect(await h.gateway.ledgerFor(order.id)).toMatchObject({ ordNo: order.id });
    const payment = await h.payments.client.GET('/v1/payments/{id}', {
      params: { path: { id: String(order.paymentId) } },
    });
    expect(expectData(payment, 200)).toMatchObject({ orderId: order.id, status: 'APPROVED', amount: 12_000 });
  });

  it("takes the gateway's notifications under the prefix, an EUC-KR form read from its raw bytes", async () => {
    const gateway = new GatewayTestClient(h.gatewayUrl, SANDBOX_MERCHANTS.card);
    const charge = await gateway.charge(
      await gateway.billingKey(),
      8_000,
      { goodsNm: '프리미엄 구독', ordNm: '홍길동', notiUrl: `${h.apiUrl}/v1/notifications/paystory` },
      'EUC-KR',
    );
    const tid = String(charge.tid);

    const deliveries = await eventually(
      () => h.gateway.deliveriesOf(tid),
      (attempts) => attempts.some((a) => a.acked),
    );
    expect(deliveries.map(({ status, acked, charset }) => ({ status, acked, charset }))).toEqual([
      { status: 200, acked: true, charset: 'EUC-KR' },
    ]);
    const stored = await eventually(
      () =>
        paymentsDataSource()
          .createQueryBuilder()
          .select(['n.status AS status', 'n.fields AS fields'])
          .from('gateway_notifications', 'n')
          .where('n.tid = :tid', { tid })
          .getRawMany<{ status: string; fields: string }>(),
      (rows) => rows.some((r) => r.status === 'APPLIED'),
    );
    expect(JSON.parse(stored[0].fields)).toMatchObject({ goodsName: '프리미엄 구독', ordNm: '홍길동' });
  });

  it("leaves the host's own routes to the host: its guard, its validation, Nest's own error bodies", async () => {
    const signedOut = await h.asUser(undefined, 'POST', '/v1/orders', {});
    expect(signedOut.status).toBe(401);
    expect(signedOut.headers.get('content-type')).toMatch(PLAIN_JSON);
    expect(signedOut.body).toMatchObject({ statusCode: 401, message: 'Sign in first: send X-Session-Token' });

    const invalid = await h.asUser('bob', 'POST', '/v1/orders', { billingKeyId: key.id, amount: 'lots' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(PLAIN_JSON);
    expect(invalid.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(Array) });

    const unknown = await h.asUser('bob', 'GET', '/v1/orders/ord_unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(PLAIN_JSON);
    expect(unknown.body).toMatchObject({ statusCode: 404, message: 'No order ord_unknown' });

    const noRoute = await h.asUser('bob', 'GET', '/v1/nothing-here');
    expect(noRoute.status).toBe(404);
    expect(noRoute.headers.get('content-type')).toMatch(PLAIN_JSON);
  });

  it('keeps the payments routes their own validation and problem+json beside the host', async () => {
    // A field the API does not have, on purpose: the raw call.
    const refused = await h.payments.api('POST', '/v1/payments', { ...chargeRequest(key.id), giftMessage: 'no' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(refused.body).toMatchObject({
      errors: [{ field: 'giftMessage', message: 'property giftMessage should not exist' }],
    });
  });

  it('keeps its orders in its own default data source, and payments in the data source named payments', async () => {
    const hostRunner = h.host.app.get<DataSource>(getDataSourceToken()).createQueryRunner();
    const paymentsRunner = paymentsDataSource().createQueryRunner();
    try {
      expect([await hostRunner.hasTable('orders'), await hostRunner.hasTable('payments')]).toEqual([true, false]);
      expect([await paymentsRunner.hasTable('orders'), await paymentsRunner.hasTable('payments')]).toEqual([
        false,
        true,
      ]);
    } finally {
      await hostRunner.release();
      await paymentsRunner.release();
    }
  });

  it("lists the module's routes in the host's own OpenAPI document, under its prefix, with their security", () => {
    const document = SwaggerModule.createDocument(h.host.app, new DocumentBuilder().setTitle('shop').build());

    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/orders', '/api/v1/payments', '/api/v1/notifications/paystory']),
    );
    expect(document.paths['/api/v1/payments'].post?.security).toEqual([{ apiKey: [] }]);
    expect(document.paths['/api/v1/notifications/paystory'].post?.security).toBeUndefined();
    expect(document.components?.schemas).toHaveProperty('CreatePaymentDto');
  });

  function paymentsDataSource(): DataSource {
    return h.host.app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE));
  }
});

describe("the example host with a payments auth strategy of its own (the host's signed-in users)", () => {
  let h: ExampleHostHarness;

  beforeAll(async () => {
    h = await startExampleHostHarness('host-users');
  });

  afterAll(async () => {
    await h?.close();
  });

  it("authenticates the payments API by the user the host's guard signed in, in the user's tenant", async () => {
    const byApiKey = await h.payments.client.GET('/v1/payments');
    expectProblem(byApiKey, 401);
    expect(byApiKey.response.headers.get('content-type')).toMatch(PROBLEM_JSON);

    const issued = await h.asUser('alice', 'POST', '/v1/billing-keys', billingKeyRequest());
    expectStatus(issued, 201);
    const charged = await h.asUser('alice', 'POST', '/v1/payments', chargeRequest(String(issued.body.id)));
    expectStatus(charged, 201);

    expectStatus(await h.asUser('alice', 'GET', `/v1/payments/${String(charged.body.id)}`), 200);
    // Bob signs in to another tenant: alice's payment is as unknown to him as one that never existed.
    expect((await h.asUser('bob', 'GET', `/v1/payments/${String(charged.body.id)}`)).status).toBe(404);
  });

  it("pays the user's orders in the user's tenant", async () => {
    const issued = await h.asUser('alice', 'POST', '/v1/billing-keys', billingKeyRequest());
    const placed = await h.asUser('alice', 'POST', '/v1/orders', {
      billingKeyId: String(issued.body.id),
      amount: 5_000,
      goodsName: '엽서',
    });
    expectStatus(placed, 201);
    const order = placed.body as unknown as OrderBody;
    await eventually(
      async () => ((await h.asUser('alice', 'GET', `/v1/orders/${order.id}`)).body as unknown as OrderBody).status,
      (status) => status === 'PAID',
    );
    expect(await h.gateway.chargesFor(order.id)).toHaveLength(1);
  });
});
