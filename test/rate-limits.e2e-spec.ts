import { encodeForm } from '@app/paystory';
import { randomInt, randomUUID } from 'node:crypto';
import type { PaymentsClient } from '@app/payments-client';
import { expectData, TEST_API_KEY, type ApiResponse } from './support/api-client';
import { chargeRequest, givenActiveBillingKey, newCustomerId } from './support/billing-fixtures';
import { paymentRows } from './support/database-reader';
import { NOTIFICATION_PATH, notificationRows, signedNotification } from './support/notification-factories';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { sleep } from './support/waiting';
import { wireTextClient, type WireTextClient } from './support/wire-text';

const SECOND_KEY = 'sk_test_second_caller';
const THIRD_KEY = 'sk_test_third_caller';
const PER_MINUTE = 5;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A 429 of the typed client (its `response` and problem) or of a raw post. */
function expectRateLimited(answer: ApiResponse<unknown> | { response: Response; error?: unknown }): number {
  const [status, headers, body] =
    'response' in answer
      ? [answer.response.status, answer.response.headers, answer.error]
      : [answer.status, answer.headers, answer.body];
  expect(status).toBe(429);
  expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(body).toMatchObject({ type: '/problems/rate_limited', status: 429 });
  const retryAfter = Number(headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  return retryAfter;
}

describe('rate limits per API key', () => {
  let h: ServiceHarness;
  /** The typed client with each key, keeping each answer's text. */
  let first: WireTextClient;
  let second: WireTextClient;
  let third: WireTextClient;
  const listPayments = (client: PaymentsClient) =>
    client.GET('/v1/payments', { params: { query: { customerId: newCustomerId() } } });

  beforeAll(async () => {
    h = await startHarness({
      API_KEYS: `${TEST_API_KEY},${SECOND_KEY},${THIRD_KEY}`,
      RATE_LIMIT_API_PER_MINUTE: String(PER_MINUTE),
    });
    [first, second, third] = [TEST_API_KEY, SECOND_KEY, THIRD_KEY].map((key) => wireTextClient(h.service.url, key));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses the 6th request a minute of one key with 429 problem+json and Retry-After, and still serves another key', async () => {
    for (let i = 0; i < PER_MINUTE; i++) expect((await listPayments(first.client)).response.status).toBe(200);

    const refused = await listPayments(first.client);

    expectRateLimited(refused);
    expect(await first.textOf(refused)).not.toContain(TEST_API_KEY);
    expect((await listPayments(second.client)).response.status).toBe(200);
    // Only /v1 is limited: health stays answerable.
    expect((await fetch(`${h.service.url}/health/live`)).status).toBe(200);
  });

  it('answers 401 to requests without a valid key, however many, before any limit', async () => {
    const noKey = await Promise.all(
      Array.from({ length: PER_MINUTE * 2 }, () => h.api('GET', '/v1/payments', undefined, { authorization: '' })),
    );
    const unknownKey = await Promise.all(
      Array.from({ length: PER_MINUTE * 2 }, () =>
        h.api('GET', `/v1/payments?customerId=${newCustomerId()}`, undefined, bearer('sk_test_not_a_key')),
      ),
    );

    expect(new Set([...noKey, ...unknownKey].map((r) => r.status))).toEqual(new Set([401]));
  });

  it('refuses a keyed charge over the limit without taking its Idempotency-Key: the retry after Retry-After charges once', async () => {
    const billingKey = await givenActiveBillingKey(third);
    for (let i = 1; i < PER_MINUTE; i++) expect((await listPayments(third.client)).response.status).toBe(200);
    const idempotencyKey = randomUUID();
    const body = chargeRequest(billingKey.id, { amount: 31_000 });
    const charge = () =>
      third.client.POST('/v1/payments', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
    const chargesBefore = (await h.gateway.requests('charge')).length;

    const refused = await charge();

    const retryAfter = expectRateLimited(refused);
    expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);
    expect(await paymentRows(h.db, 'billing_key_id = ?', billingKey.id)).toEqual([]);

    await sleep(retryAfter * 1000);
    const retried = await charge();

    const payment = expectData(retried, 201);
    expect(retried.response.headers.get('idempotent-replayed')).toBeNull();
    expect(payment).toMatchObject({ status: 'APPROVED', amount: 31_000 });
    expect((await h.gateway.requests('charge')).length).toBe(chargesBefore + 1);
    expect(await h.gateway.approvalsFor(payment.orderId)).toHaveLength(1);
  }, 90_000);
});

describe('rate limit on gateway notifications per source address', () => {
  const PER_SOURCE = 3;
  let h: ServiceHarness;

  /** Posts a well-signed notification as the gateway does; `from` is the sender a trusted proxy names. */
  async function postNotification(tid: string, from?: string): Promise<ApiResponse<unknown>> {
    const fields = signedNotification({
      tid,
      oTid: tid,
      ordNo: `never-charged-${tid}`,
      goodsAmt: '10000',
      resultCd: '3001',
      cancelYN: 'N',
      payMethod: 'CARD',
    });
    const response = await fetch(`${h.service.url}${NOTIFICATION_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        ...(from ? { 'x-forwarded-for': from } : {}),
      },
      body: encodeForm(fields, 'UTF-8'),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') && text ? (JSON.parse(text) as unknown) : null;
    return { status: response.status, headers: response.headers, body: json, text };
  }
  const newTid = () => `sandbox01m0101${String(randomInt(2 ** 47)).padStart(16, '0')}`;

  beforeAll(async () => {
    // The service's own socket peer is the loopback "balancer"; X-Forwarded-For names the sender behind it.
    h = await startHarness({ RATE_LIMIT_NOTIFICATIONS_PER_MINUTE: String(PER_SOURCE), TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses the 4th post a minute from one address with 429 and stores it not, so the gateway sends it again', async () => {
    for (let i = 0; i < PER_SOURCE; i++) expect((await postNotification(newTid())).status).toBe(200);
    const tid = newTid();

    const refused = await postNotification(tid);

    expectRateLimited(refused);
    expect(await notificationRows(h, tid)).toEqual([]);
    expect((await postNotification(newTid(), '203.0.113.7')).status).toBe(200);
    expect((await h.client.GET('/v1/payments')).response.status).toBe(200);
  });
});
