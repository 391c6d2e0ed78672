import { randomUUID } from 'node:crypto';
import type { BillingKeyBody, PaymentBody, ProblemBody } from './support/api-bodies';
import { TEST_API_KEY, type ApiResponse } from './support/api-client';
import { billingKeyRequest, CARDS, chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { paymentRows } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { sleep } from './support/waiting';

const OTHER_API_KEY = 'sk_test_other_caller';
const withKey = (key: string) => ({ 'idempotency-key': key });

describe('Idempotency-Key', () => {
  let h: ServiceHarness;
  let key: BillingKeyBody;

  beforeAll(async () => {
    h = await startHarness({ API_KEYS: `${TEST_API_KEY},${OTHER_API_KEY}` });
    key = await givenActiveBillingKey(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('charges', () => {
    it('makes one gateway charge for 50 concurrent identical requests, and gives all 50 the same answer', async () => {
      const idempotencyKey = randomUUID();
      const chargesBefore = (await h.gateway.requests('charge')).length;
      const body = chargeRequest(key.id, { amount: 33_000 });

      const responses = await Promise.all(
        Array.from({ length: 50 }, () => h.api<PaymentBody>('POST', '/v1/payments', body, withKey(idempotencyKey))),
      );

      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore + 1);
      expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
      expect(new Set(responses.map((r) => r.text)).size).toBe(1);
      expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
      const [payment] = responses.map((r) => r.body);
      expect(payment).toMatchObject({ status: 'APPROVED', amount: 33_000 });
      expect(await h.gateway.approvalsFor(payment.orderId)).toHaveLength(1);
      expect(await paymentRows(h.db, 'billing_key_id = ? AND amount = ?', key.id, 33_000)).toHaveLength(1);
    });

    it('answers 409 to the same key with another body, and charges nothing more', async () => {
      const idempotencyKey = randomUUID();
      const first = await h.api<PaymentBody>(
        'POST',
        '/v1/payments',
        chargeRequest(key.id, { amount: 10_000 }),
        withKey(idempotencyKey),
      );
      const chargesAfterFirst = (await h.gateway.requests('charge')).length;

      const other = await h.api<ProblemBody>(
        'POST',
        '/v1/payments',
        chargeRequest(key.id, { amount: 20_000 }),
        withKey(idempotencyKey),
      );

      expect(first.status).toBe(201);
      expect(other.status).toBe(409);
      expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(other.body.type).toContain('idempotency_key_reused');
      expect((await h.gateway.requests('charge')).length).toBe(chargesAfterFirst);
      expect(await paymentRows(h.db, 'billing_key_id = ? AND amount = ?', key.id, 20_000)).toEqual([]);
    });

    it('replays a decline, status and body, without a second gateway call', async () => {
      const declining = await givenActiveBillingKey(h, { cardNo: CARDS.decliningWith('3030') });
      const idempotencyKey = randomUUID();
      const body = chargeRequest(declining.id);

      const first = await h.api<ProblemBody>('POST', '/v1/payments', body, withKey(idempotencyKey));
      const chargesAfterFirst = (await h.gateway.requests('charge')).length;
      const replay = await h.api<ProblemBody>('POST', '/v1/payments', body, withKey(idempotencyKey));

      expect(first.status).toBe(422);
      expect(first.body).toMatchObject({ code: '3030', payment: { status: 'DECLINED' } });
      expect(replay.status).toBe(422);
      expect(replay.text).toBe(first.text);
      expect(replay.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await h.gateway.requests('charge')).length).toBe(chargesAfterFirst);
      expect(await paymentRows(h.db, 'billing_key_id = ?', declining.id)).toHaveLength(1);
    });

    it('replays a validation error too', async () => {
      const idempotencyKey = randomUUID();
      const body = chargeRequest(key.id, { amount: 500 });

      const first = await h.api<ProblemBody>('POST', '/v1/payments', body, withKey(idempotencyKey));
      const replay = await h.api<ProblemBody>('POST', '/v1/payments', body, withKey(idempotencyKey));

      expect(first.status).toBe(400);
      expect(replay.status).toBe(400);
      expect(replay.text).toBe(first.text);
    });

    it('keeps the keys of different API callers apart', async () => {
      const idempotencyKey = randomUUID();
      const body = chargeRequest(key.id, { amount: 41_000 });

      const mine = await h.api<PaymentBody>('POST', '/v1/payments', body, withKey(idempotencyKey));
      const theirs = await h.api<PaymentBody>('POST', '/v1/payments', body, {
        ...withKey(idempotencyKey),
        authorization: `Bearer ${OTHER_API_KEY}`,
      });

      expect(mine.status).toBe(201);
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(await h.gateway.chargesFor(theirs.body.orderId)).toHaveLength(1);
    });

    it('replays a retry sent to the same path in another case (/V1/payments) instead of charging again', async () => {
      const idempotencyKey = randomUUID();
      const body = chargeRequest(key.id, { amount: 27_000 });

      const first = await h.api<PaymentBody>('POST', '/v1/payments', body, withKey(idempotencyKey));
      const retry = await h.api<PaymentBody>('POST', '/V1/payments', body, withKey(idempotencyKey));

      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.text).toBe(first.text);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await h.gateway.chargesFor(first.body.orderId)).toHaveLength(1);
      expect(await paymentRows(h.db, 'billing_key_id = ? AND amount = ?', key.id, 27_000)).toHaveLength(1);
    });

    it('refuses an empty or overlong key with 400 naming the header', async () => {
      for (const bad of ['', 'k'.repeat(256)]) {
        const refused = await h.api<ProblemBody>('POST', '/v1/payments', chargeRequest(key.id), withKey(bad));
        expect(refused.status).toBe(400);
        expect(refused.body.errors?.map((e) => e.field)).toEqual(['Idempotency-Key']);
      }
    });
  });

  describe('billing keys', () => {
    it('issues one key for a repeated issue request', async () => {
      const idempotencyKey = randomUUID();
      const registrationsBefore = (await h.gateway.requests('registerBillingKey')).length;
      const body = billingKeyRequest();

      const first = await h.api<BillingKeyBody>('POST', '/v1/billing-keys', body, withKey(idempotencyKey));
      const replay = await h.api<BillingKeyBody>('POST', '/v1/billing-keys', body, withKey(idempotencyKey));

      expect(first.status).toBe(201);
      expect(replay.status).toBe(201);
      expect(replay.text).toBe(first.text);
      expect((await h.gateway.requests('registerBillingKey')).length).toBe(registrationsBefore + 1);
      expect(await h.db.query('SELECT id FROM billing_keys WHERE customer_id = ?', body.customerId)).toHaveLength(1);
    });

    it('replays a delete', async () => {
      const issued = await givenActiveBillingKey(h);
      const idempotencyKey = randomUUID();

      const first = await h.api<BillingKeyBody>(
        'DELETE',
        `/v1/billing-keys/${issued.id}`,
        undefined,
        withKey(idempotencyKey),
      );
      const replay = await h.api<BillingKeyBody>(
        'DELETE',
        `/v1/billing-keys/${issued.id}`,
        undefined,
        withKey(idempotencyKey),
      );

      expect(first.status).toBe(200);
      expect(replay.status).toBe(200);
      expect(replay.text).toBe(first.text);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    });
  });
});

describe('Idempotency-Key while the first request is in flight', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    // The first charge hangs at the gateway for the whole timeout, longer than a second request waits.
    h = await startHarness({ PAYSTORY_TIMEOUT_MS: '1500', IDEMPOTENCY_WAIT_MS: '200' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 409 while the first is in flight, then replays its answer', async () => {
    const key = await givenActiveBillingKey(h);
    const idempotencyKey = randomUUID();
    const body = chargeRequest(key.id, { amount: 77_002 });

    const first = h.api<PaymentBody>('POST', '/v1/payments', body, withKey(idempotencyKey));
    await sleep(300);
    const whileInFlight = await h.api<ProblemBody>('POST', '/v1/payments', body, withKey(idempotencyKey));
    const firstAnswer: ApiResponse<PaymentBody> = await first;
    const afterwards = await h.api<PaymentBody>('POST', '/v1/payments', body, withKey(idempotencyKey));

    expect(whileInFlight.status).toBe(409);
    expect(whileInFlight.body.type).toContain('idempotency_key_in_flight');
    expect(firstAnswer.status).toBe(202);
    expect(firstAnswer.body.status).toBe('UNKNOWN');
    expect(afterwards.status).toBe(202);
    expect(afterwards.text).toBe(firstAnswer.text);
    expect(await h.gateway.chargesFor(firstAnswer.body.orderId)).toHaveLength(1);
  });
});
