import { randomUUID } from 'node:crypto';
import type { BillingKey, ChargeRequest, CreateBillingKeyRequest, PaymentsClient } from '@app/payments-client';
import type { ProblemBody } from './support/api-bodies';
import { apiCaller, expectData, expectPaymentProblem, expectProblem, TEST_API_KEY } from './support/api-client';
import { billingKeyRequest, CARDS, chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { paymentRows } from './support/database-reader';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { sleep } from './support/waiting';
import { wireTextClient, type WireTextClient } from './support/wire-text';

const OTHER_API_KEY = 'sk_test_other_caller';
const withKey = (key: string) => ({ 'idempotency-key': key });
const keyed = (idempotencyKey: string) => ({ header: { 'Idempotency-Key': idempotencyKey } });

const charge = (client: PaymentsClient, body: ChargeRequest, idempotencyKey: string) =>
  client.POST('/v1/payments', { params: keyed(idempotencyKey), body });

describe('Idempotency-Key', () => {
  let h: ServiceHarness;
  let wire: WireTextClient;
  let key: BillingKey;

  beforeAll(async () => {
    h = await startHarness({ API_KEYS: `${TEST_API_KEY},${OTHER_API_KEY}` });
    wire = wireTextClient(h.service.url);
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

      const answers = await Promise.all(Array.from({ length: 50 }, () => charge(wire.client, body, idempotencyKey)));

      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore + 1);
      expect(new Set(answers.map((a) => a.response.status))).toEqual(new Set([201]));
      expect(new Set(await Promise.all(answers.map((a) => wire.textOf(a)))).size).toBe(1);
      expect(answers.filter((a) => a.response.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
      const payment = expectData(answers[0], 201);
      expect(payment).toMatchObject({ status: 'APPROVED', amount: 33_000 });
      expect(await h.gateway.approvalsFor(payment.orderId)).toHaveLength(1);
      expect(await paymentRows(h.db, 'billing_key_id = ? AND amount = ?', key.id, 33_000)).toHaveLength(1);
    });

    it('answers 409 to the same key with another body, and charges nothing more', async () => {
      const idempotencyKey = randomUUID();
      const first = await charge(h.client, chargeRequest(key.id, { amount: 10_000 }), idempotencyKey);
      const chargesAfterFirst = (await h.gateway.requests('charge')).length;

      const other = await charge(h.client, chargeRequest(key.id, { amount: 20_000 }), idempotencyKey);

      expectData(first, 201);
      expect(expectProblem(other, 409).type).toContain('idempotency_key_reused');
      expect(other.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await h.gateway.requests('charge')).length).toBe(chargesAfterFirst);
      expect(await paymentRows(h.db, 'billing_key_id = ? AND amount = ?', key.id, 20_000)).toEqual([]);
    });

    it('replays a decline, status and body, without a second gateway call', async () => {
      const declining = await givenActiveBillingKey(h, { cardNo: CARDS.decliningWith('3030') });
      const idempotencyKey = randomUUID();
      const body = chargeRequest(declining.id);

      const first = await charge(wire.client, body, idempotencyKey);
      const chargesAfterFirst = (await h.gateway.requests('charge')).length;
      const replay = await charge(wire.client, body, idempotencyKey);

      expect(expectPaymentProblem(first, 422)).toMatchObject({ code: '3030', payment: { status: 'DECLINED' } });
      expect(replay.response.status).toBe(422);
      expect(await wire.textOf(replay)).toBe(await wire.textOf(first));
      expect(replay.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await h.gateway.requests('charge')).length).toBe(chargesAfterFirst);
      expect(await paymentRows(h.db, 'billing_key_id = ?', declining.id)).toHaveLength(1);
    });

    it('replays an approved charge whose billing key was deleted since: the key is read after the checks, whose answer is not kept', async () => {
      const deleted = await givenActiveBillingKey(h);
      const idempotencyKey = randomUUID();
      const body = chargeRequest(deleted.id, { amount: 12_000 });
      const first = await charge(wire.client, body, idempotencyKey);
      expect(
        (await h.client.DELETE('/v1/billing-keys/{id}', { params: { path: { id: deleted.id } } })).response.status,
      ).toBe(200);
      const chargesBefore = (await h.gateway.requests('charge')).length;

      const replay = await charge(wire.client, body, idempotencyKey);

      expect(expectData(first, 201).status).toBe('APPROVED');
      expect(replay.response.status).toBe(201);
      expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
      expect(await wire.textOf(replay)).toBe(await wire.textOf(first));
      expect((await h.gateway.requests('charge')).length).toBe(chargesBefore);
      expect(await h.gateway.ledgerFor(expectData(first, 201).orderId)).toMatchObject({
        approved: 12_000,
        kept: 12_000,
      });
      expect(await paymentRows(h.db, 'billing_key_id = ?', deleted.id)).toHaveLength(1);
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

      const mine = expectData(await charge(h.client, body, idempotencyKey), 201);
      const other = apiCaller(h.service.url, OTHER_API_KEY);
      const theirs = expectData(await charge(other.client, body, idempotencyKey), 201);

      expect(theirs.id).not.toBe(mine.id);
      expect(await h.gateway.chargesFor(theirs.orderId)).toHaveLength(1);
    });

    it('replays a retry sent to the same path in another case (/V1/payments) instead of charging again', async () => {
      const idempotencyKey = randomUUID();
      const body = chargeRequest(key.id, { amount: 27_000 });

      const first = await charge(wire.client, body, idempotencyKey);
      const retry = await h.api('POST', '/V1/payments', body, withKey(idempotencyKey));

      const payment = expectData(first, 201);
      expect(retry.status).toBe(201);
      expect(retry.text).toBe(await wire.textOf(first));
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await h.gateway.chargesFor(payment.orderId)).toHaveLength(1);
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
    const issue = (body: CreateBillingKeyRequest, idempotencyKey: string) =>
      wire.client.POST('/v1/billing-keys', { params: keyed(idempotencyKey), body });
    const deleteKey = (id: string, idempotencyKey: string) =>
      wire.client.DELETE('/v1/billing-keys/{id}', { params: { path: { id }, ...keyed(idempotencyKey) } });

    it('issues one key for a repeated issue request', async () => {
      const idempotencyKey = randomUUID();
      const registrationsBefore = (await h.gateway.requests('registerBillingKey')).length;
      const body = billingKeyRequest();

      const first = await issue(body, idempotencyKey);
      const replay = await issue(body, idempotencyKey);

      expect(first.response.status).toBe(201);
      expect(replay.response.status).toBe(201);
      expect(await wire.textOf(replay)).toBe(await wire.textOf(first));
      expect((await h.gateway.requests('registerBillingKey')).length).toBe(registrationsBefore + 1);
      expect(await h.db.query('SELECT id FROM billing_keys WHERE customer_id = ?', body.customerId)).toHaveLength(1);
    });

    it('replays a delete', async () => {
      const issued = await givenActiveBillingKey(h);
      const idempotencyKey = randomUUID();

      const first = await deleteKey(issued.id, idempotencyKey);
      const replay = await deleteKey(issued.id, idempotencyKey);

      expect(first.response.status).toBe(200);
      expect(replay.response.status).toBe(200);
      expect(await wire.textOf(replay)).toBe(await wire.textOf(first));
      expect(replay.response.headers.get('idempotent-replayed')).toBe('true');
    });
  });
});

describe('Idempotency-Key while the first request is in flight', () => {
  let h: ServiceHarness;
  let wire: WireTextClient;

  beforeAll(async () => {
    // The first charge hangs at the gateway for the whole timeout, longer than a second request waits.
    h = await startHarness({ PAYSTORY_TIMEOUT_MS: '1500', IDEMPOTENCY_WAIT_MS: '200' });
    wire = wireTextClient(h.service.url);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 409 while the first is in flight, then replays its answer', async () => {
    const key = await givenActiveBillingKey(h);
    const idempotencyKey = randomUUID();
    const body = chargeRequest(key.id, { amount: 77_002 });

    const first = charge(wire.client, body, idempotencyKey);
    await sleep(300);
    const whileInFlight = await charge(wire.client, body, idempotencyKey);
    const firstAnswer = await first;
    const afterwards = await charge(wire.client, body, idempotencyKey);

    expect(expectProblem(whileInFlight, 409).type).toContain('idempotency_key_in_flight');
    const payment = expectData(firstAnswer, 202);
    expect(payment.status).toBe('UNKNOWN');
    expect(afterwards.response.status).toBe(202);
    expect(await wire.textOf(afterwards)).toBe(await wire.textOf(firstAnswer));
    expect(await h.gateway.chargesFor(payment.orderId)).toHaveLength(1);
  });
});
