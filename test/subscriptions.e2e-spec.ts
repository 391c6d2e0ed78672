import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SubscriptionService } from '../apps/payments/src/subscription/subscription.service';
import type { ProblemBody, SubscriptionBody } from './support/api-bodies';
import { expectStatus } from './support/api-client';
import { eventsOf } from './support/api-reads';
import { startHarness, type ServiceHarness } from './support/service-harness';
import {
  chargeRequestsOnKey,
  chargesOf,
  DAY_MS,
  getSubscription,
  givenCustomerKey,
  givenSubscription,
  runDue,
  SCHEDULER_DRIVEN_BY_TEST,
  seoul,
} from './support/subscription-factories';

describe('Subscriptions API (CONTRACT.md "Subscriptions")', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ ...SCHEDULER_DRIVEN_BY_TEST });
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A 201 carries the subscription, anything else a problem: the tests read whichever the status says. */
  const create = (body: Record<string, unknown>) =>
    h.api<SubscriptionBody & Omit<ProblemBody, 'status'>>('POST', '/v1/subscriptions', body);

  describe('POST /v1/subscriptions', () => {
    it('creates an ACTIVE subscription whose first charge is at startAt, readable by id and by customer', async () => {
      const { customerId, billingKeyId } = await givenCustomerKey(h);
      const startAt = seoul('2027-05-20T14:00:00');

      const created = await create({
        customerId,
        billingKeyId,
        amount: 12_900,
        goodsName: '베이직 플랜',
        interval: 'monthly',
        startAt: startAt.toISOString(),
      });

      expectStatus(created, 201);
      expect(created.body).toMatchObject({
        customerId,
        billingKeyId,
        amount: 12_900,
        goodsName: '베이직 플랜',
        interval: 'monthly',
        anchorDay: 20,
        startAt: startAt.toISOString(),
        status: 'ACTIVE',
        currentPeriod: 0,
        nextChargeAt: startAt.toISOString(),
      });
      expect(Number.isInteger(created.body.amount)).toBe(true);
      expect(JSON.stringify(created.body)).not.toContain('sandbox01mcb'); // the bid never leaves the service

      expect(await getSubscription(h, created.body.id)).toMatchObject({
        id: created.body.id,
        status: 'ACTIVE',
        nextChargeAt: startAt.toISOString(),
      });
      const listed = await h.api<{ data: SubscriptionBody[] }>(
        'GET',
        `/v1/subscriptions?customerId=${encodeURIComponent(customerId)}`,
      );
      expectStatus(listed, 200);
      expect(listed.body.data.map((s) => s.id)).toEqual([created.body.id]);
      expect(await chargesOf(h, created.body.id)).toEqual([]);
    });

    it('starts now when startAt is absent', async () => {
      const before = Date.now();
      const subscription = await givenSubscription(h);

      const nextChargeAt = Date.parse(subscription.nextChargeAt ?? '');
      expect(nextChargeAt).toBeGreaterThanOrEqual(before - 1_000);
      expect(nextChargeAt).toBeLessThanOrEqual(Date.now() + 1_000);
    });

    it.each([
      ['interval', { interval: 'daily' }],
      ['anchorDay', { anchorDay: 32 }],
      ['anchorDay', { anchorDay: 0 }],
      ['anchorDay', { anchorDay: 15.5 }],
      ['anchorDay', { interval: 'weekly', anchorDay: 8 }],
      ['amount', { amount: 999 }],
      ['amount', { amount: 1_000.5 }],
      ['amount', { amount: '9900' }],
      ['goodsName', { goodsName: '가'.repeat(34) }],
      ['goodsName', { goodsName: '' }],
      ['startAt', { startAt: 'next tuesday' }],
      ['startAt', { startAt: new Date(Date.now() - 25 * 3_600_000).toISOString() }],
      ['customerId', { customerId: undefined }],
    ])('refuses a bad %s with 400 naming the field', async (field, override) => {
      const owner = await givenCustomerKey(h);

      const response = await create({
        ...owner,
        amount: 9_900,
        goodsName: '월간 구독',
        interval: 'monthly',
        ...override,
      });

      expectStatus(response, 400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors?.map((e) => e.field)).toContain(field);
      const listed = await h.api<{ data: SubscriptionBody[] }>(
        'GET',
        `/v1/subscriptions?customerId=${owner.customerId}`,
      );
      expect(listed.body.data).toEqual([]);
    });

    it('accepts a startAt up to 24 hours back (a sign-up a day late) and charges it first', async () => {
      const owner = await givenCustomerKey(h);
      const startAt = new Date(Date.now() - 23 * 3_600_000);

      const response = await create({
        ...owner,
        amount: 9_900,
        goodsName: '월간 구독',
        interval: 'monthly',
        startAt: startAt.toISOString(),
      });

      expectStatus(response, 201);
      expect(response.body).toMatchObject({
        startAt: startAt.toISOString(),
        nextChargeAt: startAt.toISOString(),
        currentPeriod: 0,
      });
    });

    it('accepts a goodsName of exactly 100 UTF-8 bytes (33 Hangul syllables and one letter)', async () => {
      const owner = await givenCustomerKey(h);

      const response = await create({ ...owner, amount: 1_000, goodsName: `${'가'.repeat(33)}A`, interval: 'monthly' });

      expectStatus(response, 201);
    });

    it('creates once for a repeated Idempotency-Key, and answers 409 for the key with another body', async () => {
      const owner = await givenCustomerKey(h);
      const body = { ...owner, amount: 9_900, goodsName: '월간 구독', interval: 'monthly' };
      const headers = { 'idempotency-key': `sub-${owner.customerId}` };

      const first = await h.api<SubscriptionBody>('POST', '/v1/subscriptions', body, headers);
      const again = await h.api<SubscriptionBody>('POST', '/v1/subscriptions', body, headers);
      const changed = await h.api('POST', '/v1/subscriptions', { ...body, amount: 19_900 }, headers);

      expectStatus(first, 201);
      expectStatus(again, 201);
      expect(again.body).toEqual(first.body);
      expectStatus(changed, 409);
      const listed = await h.api<{ data: SubscriptionBody[] }>(
        'GET',
        `/v1/subscriptions?customerId=${owner.customerId}`,
      );
      expect(listed.body.data.map((s) => s.id)).toEqual([first.body.id]);
    });

    it("refuses another customer's billing key, naming billingKeyId", async () => {
      const { billingKeyId } = await givenCustomerKey(h);

      const response = await create({
        customerId: 'someone-else',
        billingKeyId,
        amount: 9_900,
        goodsName: '월간 구독',
        interval: 'monthly',
      });

      expectStatus(response, 400);
      expect(response.body.errors).toEqual([
        { field: 'billingKeyId', message: expect.stringContaining('another customer') },
      ]);
    });

    it('refuses a deleted billing key (409) and an unknown one (404)', async () => {
      const { customerId, billingKeyId } = await givenCustomerKey(h);
      expectStatus(await h.api('DELETE', `/v1/billing-keys/${billingKeyId}`), 200);

      const deleted = await create({
        customerId,
        billingKeyId,
        amount: 9_900,
        goodsName: '월간 구독',
        interval: 'monthly',
      });
      const unknown = await create({
        customerId,
        billingKeyId: 'bk_nope',
        amount: 9_900,
        goodsName: '월간 구독',
        interval: 'monthly',
      });

      expectStatus(deleted, 409);
      expect(deleted.body.detail).toContain(billingKeyId);
      expectStatus(unknown, 404);
    });
  });

  describe('GET', () => {
    it('answers 404 for an unknown subscription, its charges and its actions', async () => {
      for (const [method, path] of [
        ['GET', '/v1/subscriptions/sub_nope'],
        ['GET', '/v1/subscriptions/sub_nope/charges'],
        ['POST', '/v1/subscriptions/sub_nope/pause'],
        ['POST', '/v1/subscriptions/sub_nope/resume'],
        ['POST', '/v1/subscriptions/sub_nope/cancel'],
      ]) {
        expectStatus(await h.api(method, path), 404);
      }
    });

    it('needs customerId to list', async () => {
      const response = await h.api<ProblemBody>('GET', '/v1/subscriptions');

      expectStatus(response, 400);
      expect(response.body.errors?.map((e) => e.field)).toContain('customerId');
    });

    it('lists each charge attempt with its period, orderId and payment', async () => {
      const startAt = seoul('2027-06-03T09:00:00');
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString(), amount: 15_000 });

      await runDue(h, startAt);

      const [charge, ...more] = await chargesOf(h, subscription.id);
      expect(more).toEqual([]);
      expect(charge).toMatchObject({
        period: 0,
        attempt: 0,
        periodStart: startAt.toISOString(),
        periodEnd: seoul('2027-07-03T09:00:00').toISOString(),
        status: 'APPROVED',
        amount: 15_000,
        paymentStatus: 'APPROVED',
      });
      const payment = await h.api<{ orderId: string; amount: number; status: string }>(
        'GET',
        `/v1/payments/${charge.paymentId}`,
      );
      expect(payment.body).toMatchObject({ orderId: charge.orderId, amount: 15_000, status: 'APPROVED' });
      const sent = await chargeRequestsOnKey(h, subscription.billingKeyId);
      expect(sent.map((r) => [r.fields.ordNo, r.fields.goodsAmt, r.fields.goodsNm])).toEqual([
        [charge.orderId, '15000', '프리미엄 월간 구독'],
      ]);
    });
  });

  describe('pause, resume, cancel', () => {
    it('pauses: no charge while PAUSED; pausing twice is 409', async () => {
      const startAt = seoul('2027-06-10T09:00:00');
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });

      const paused = await h.api<SubscriptionBody>('POST', `/v1/subscriptions/${subscription.id}/pause`);
      await runDue(h, new Date(startAt.getTime() + 40 * DAY_MS));

      expectStatus(paused, 200);
      expect(paused.body).toMatchObject({ status: 'PAUSED', nextChargeAt: null });
      expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toEqual([]);
      expectStatus(await h.api('POST', `/v1/subscriptions/${subscription.id}/pause`), 409);
    });

    it('resumes a paused subscription with the period current at resume time, skipping the periods missed', async () => {
      const startAt = seoul('2027-01-15T09:00:00');
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });
      await runDue(h, startAt);
      expectStatus(await h.api('POST', `/v1/subscriptions/${subscription.id}/pause`), 200);
      const resumeAt = seoul('2027-03-20T12:00:00');

      const resumed = await h.service.app.get(SubscriptionService).resume(subscription.id, resumeAt);
      await runDue(h, resumeAt);

      expect(resumed).toMatchObject({ status: 'ACTIVE', currentPeriod: 2, nextChargeAt: resumeAt.toISOString() });
      const charges = await chargesOf(h, subscription.id);
      expect(charges.map((c) => [c.period, c.status, c.periodStart])).toEqual([
        [0, 'APPROVED', startAt.toISOString()],
        [2, 'APPROVED', seoul('2027-03-15T09:00:00').toISOString()],
      ]);
      expect(await getSubscription(h, subscription.id)).toMatchObject({
        status: 'ACTIVE',
        currentPeriod: 3,
        nextChargeAt: seoul('2027-04-15T09:00:00').toISOString(),
      });
      expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(2);
    });

    it('resumes over the API at the real time: the next charge stays on the future start', async () => {
      const startAt = new Date(Date.now() + 10 * DAY_MS);
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });
      expectStatus(await h.api('POST', `/v1/subscriptions/${subscription.id}/pause`), 200);

      const resumed = await h.api<SubscriptionBody>('POST', `/v1/subscriptions/${subscription.id}/resume`);

      expectStatus(resumed, 200);
      expect(resumed.body).toMatchObject({ status: 'ACTIVE', statusReason: null, nextChargeAt: startAt.toISOString() });
      expectStatus(await h.api('POST', `/v1/subscriptions/${subscription.id}/resume`), 409);
    });

    it('cancels for good: CANCELLED, never charged, cannot be resumed or cancelled again', async () => {
      const startAt = seoul('2027-06-12T09:00:00');
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });

      const cancelled = await h.api<SubscriptionBody>('POST', `/v1/subscriptions/${subscription.id}/cancel`);
      await runDue(h, new Date(startAt.getTime() + DAY_MS));

      expectStatus(cancelled, 200);
      expect(cancelled.body).toMatchObject({
        status: 'CANCELLED',
        statusReason: 'cancelled',
        nextChargeAt: null,
        cancelledAt: expect.any(String),
      });
      expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toEqual([]);
      expectStatus(await h.api('POST', `/v1/subscriptions/${subscription.id}/resume`), 409);
      expectStatus(await h.api('POST', `/v1/subscriptions/${subscription.id}/cancel`), 409);
    });
  });

  describe('deleting the billing key', () => {
    it('cancels every live subscription on it with reason billing_key_deleted, and only those', async () => {
      const startAt = seoul('2027-07-01T09:00:00');
      const owner = await givenCustomerKey(h);
      const active = await givenSubscription(h, { ...owner, startAt: startAt.toISOString() });
      const paused = await givenSubscription(h, { ...owner, startAt: startAt.toISOString(), interval: 'weekly' });
      expectStatus(await h.api('POST', `/v1/subscriptions/${paused.id}/pause`), 200);
      const unrelated = await givenSubscription(h, { startAt: startAt.toISOString() });

      expectStatus(await h.api('DELETE', `/v1/billing-keys/${owner.billingKeyId}`), 200);
      await runDue(h, startAt);

      for (const id of [active.id, paused.id]) {
        expect(await getSubscription(h, id)).toMatchObject({
          status: 'CANCELLED',
          statusReason: 'billing_key_deleted',
          nextChargeAt: null,
          cancelledAt: expect.any(String),
        });
      }
      expect(await chargeRequestsOnKey(h, owner.billingKeyId)).toEqual([]);
      expect(await getSubscription(h, unrelated.id)).toMatchObject({ status: 'ACTIVE', currentPeriod: 1 });
      for (const id of [active.id, paused.id]) {
        const cancelledEvents = (await eventsOf<SubscriptionBody>(h, id)).filter(
          (e) => e.type === 'subscription.cancelled',
        );
        expect(cancelledEvents.map((e) => e.data.statusReason)).toEqual(['billing_key_deleted']);
      }
    });
  });
});

describe('Billing calendar through the API (Asia/Seoul)', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ ...SCHEDULER_DRIVEN_BY_TEST });
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Runs the scheduler at each due time in turn and returns the `nextChargeAt` after each run. */
  async function chargeSuccessively(subscription: SubscriptionBody, runs: number): Promise<string[]> {
    const next: string[] = [];
    let due = new Date(subscription.nextChargeAt ?? '');
    for (let i = 0; i < runs; i++) {
      expect(await runDue(h, due)).toBeGreaterThanOrEqual(1);
      const after = await getSubscription(h, subscription.id);
      next.push(after.nextChargeAt ?? 'null');
      due = new Date(after.nextChargeAt ?? '');
    }
    return next;
  }

  it('does not charge before the period starts', async () => {
    const startAt = seoul('2027-08-01T09:00:00');
    const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });

    await runDue(h, new Date(startAt.getTime() - 1_000));

    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toEqual([]);
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      currentPeriod: 0,
      nextChargeAt: startAt.toISOString(),
    });
  });

  it('puts a 31st anchor on the last day of shorter months (28 Feb, 30 Apr) and back on the 31st', async () => {
    const subscription = await givenSubscription(h, {
      startAt: seoul('2027-01-31T10:00:00').toISOString(),
      anchorDay: 31,
    });

    const next = await chargeSuccessively(subscription, 5);

    expect(next).toEqual(
      [
        '2027-02-28T10:00:00',
        '2027-03-31T10:00:00',
        '2027-04-30T10:00:00',
        '2027-05-31T10:00:00',
        '2027-06-30T10:00:00',
      ].map((t) => seoul(t).toISOString()),
    );
    const charges = await chargesOf(h, subscription.id);
    expect(charges.map((c) => [c.period, c.periodStart, c.periodEnd])).toEqual([
      [0, seoul('2027-01-31T10:00:00').toISOString(), seoul('2027-02-28T10:00:00').toISOString()],
      [1, seoul('2027-02-28T10:00:00').toISOString(), seoul('2027-03-31T10:00:00').toISOString()],
      [2, seoul('2027-03-31T10:00:00').toISOString(), seoul('2027-04-30T10:00:00').toISOString()],
      [3, seoul('2027-04-30T10:00:00').toISOString(), seoul('2027-05-31T10:00:00').toISOString()],
      [4, seoul('2027-05-31T10:00:00').toISOString(), seoul('2027-06-30T10:00:00').toISOString()],
    ]);
    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(5);
  });

  it('uses 29 February in a leap year', async () => {
    const subscription = await givenSubscription(h, { startAt: seoul('2028-01-31T10:00:00').toISOString() });

    const next = await chargeSuccessively(subscription, 2);

    expect(subscription.anchorDay).toBe(31);
    expect(next).toEqual([seoul('2028-02-29T10:00:00').toISOString(), seoul('2028-03-31T10:00:00').toISOString()]);
  });

  it('moves a yearly 29 February anchor to 28 February in common years', async () => {
    const subscription = await givenSubscription(h, {
      startAt: seoul('2028-02-29T12:00:00').toISOString(),
      interval: 'yearly',
    });

    const next = await chargeSuccessively(subscription, 2);

    expect(next).toEqual([seoul('2029-02-28T12:00:00').toISOString(), seoul('2030-02-28T12:00:00').toISOString()]);
  });

  it('reads a start at 23:30 UTC on the last day of a month as the 1st, the next Seoul day', async () => {
    const startAt = new Date('2027-04-30T23:30:00Z'); // 2027-05-01 08:30 in Seoul
    const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });

    const next = await chargeSuccessively(subscription, 2);

    expect(subscription.anchorDay).toBe(1);
    expect(next).toEqual(['2027-05-31T23:30:00.000Z', '2027-06-30T23:30:00.000Z']); // 1 June and 1 July, 08:30 Seoul
  });

  it('reads a weekly start at 23:30 UTC on a Sunday as a Monday anchor', async () => {
    const startAt = new Date('2027-03-07T23:30:00Z'); // Monday 2027-03-08 08:30 in Seoul
    const subscription = await givenSubscription(h, { startAt: startAt.toISOString(), interval: 'weekly' });

    const next = await chargeSuccessively(subscription, 2);

    expect(subscription.anchorDay).toBe(1);
    expect(next).toEqual(['2027-03-14T23:30:00.000Z', '2027-03-21T23:30:00.000Z']);
  });

  it('charges a subscription created mid-period in full at once, then on the anchor day (billing-calendar.ts)', async () => {
    const startAt = seoul('2027-03-10T09:30:00');
    const subscription = await givenSubscription(h, { startAt: startAt.toISOString(), anchorDay: 25, amount: 30_000 });

    const next = await chargeSuccessively(subscription, 2);

    expect(subscription).toMatchObject({ anchorDay: 25, nextChargeAt: startAt.toISOString() });
    expect(next).toEqual([seoul('2027-03-25T09:30:00').toISOString(), seoul('2027-04-25T09:30:00').toISOString()]);
    const charges = await chargesOf(h, subscription.id);
    expect(charges.map((c) => [c.periodStart, c.periodEnd, c.amount])).toEqual([
      [startAt.toISOString(), seoul('2027-03-25T09:30:00').toISOString(), 30_000],
      [seoul('2027-03-25T09:30:00').toISOString(), seoul('2027-04-25T09:30:00').toISOString(), 30_000],
    ]);
  });
});
