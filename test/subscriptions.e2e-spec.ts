import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SubscriptionService } from '../apps/payments/src/subscription/subscription.service';
import { DEFAULT_TENANT_ID } from '../apps/payments/src/common/auth/principal';
import type { CreateSubscriptionRequest } from '@app/payments-client';
import type { ProblemBody, SubscriptionBody } from './support/api-bodies';
import { expectData, expectProblem, expectStatus } from './support/api-client';
import { eventsOf, getPayment } from './support/api-reads';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { eventually } from './support/waiting';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';
import {
  approvalsOnKey,
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

  const create = (body: CreateSubscriptionRequest, idempotencyKey?: string) =>
    h.client.POST('/v1/subscriptions', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
  const listFor = async (customerId: string) =>
    expectData(await h.client.GET('/v1/subscriptions', { params: { query: { customerId } } }), 200).data;
  const byId = (id: string) => ({ params: { path: { id } } });
  const pause = (id: string) => h.client.POST('/v1/subscriptions/{id}/pause', byId(id));
  const resume = (id: string) => h.client.POST('/v1/subscriptions/{id}/resume', byId(id));
  const cancel = (id: string) => h.client.POST('/v1/subscriptions/{id}/cancel', byId(id));
  const deleteKey = (id: string) => h.client.DELETE('/v1/billing-keys/{id}', byId(id));

  describe('POST /v1/subscriptions', () => {
    it('creates an ACTIVE subscription whose first charge is at startAt, readable by id and by customer', async () => {
      const { customerId, billingKeyId } = await givenCustomerKey(h);
      const startAt = seoul('2027-05-20T14:00:00');

      const created = expectData(
        await create({
          customerId,
          billingKeyId,
          amount: 12_900,
          goodsName: '베이직 플랜',
          interval: 'monthly',
          startAt: startAt.toISOString(),
        }),
        201,
      );

      expect(created).toMatchObject({
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
      expect(Number.isInteger(created.amount)).toBe(true);
      expect(JSON.stringify(created)).not.toContain('sandbox01mcb'); // the bid never leaves the service

      expect(await getSubscription(h, created.id)).toMatchObject({
        id: created.id,
        status: 'ACTIVE',
        nextChargeAt: startAt.toISOString(),
      });
      expect((await listFor(customerId)).map((s) => s.id)).toEqual([created.id]);
      expect(await chargesOf(h, created.id)).toEqual([]);
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

      const response = await h.api<ProblemBody>('POST', '/v1/subscriptions', {
        ...owner,
        amount: 9_900,
        goodsName: '월간 구독',
        interval: 'monthly',
        ...override,
      });

      expectStatus(response, 400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors?.map((e) => e.field)).toContain(field);
      expect(await listFor(owner.customerId)).toEqual([]);
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

      expect(expectData(response, 201)).toMatchObject({
        startAt: startAt.toISOString(),
        nextChargeAt: startAt.toISOString(),
        currentPeriod: 0,
      });
    });

    it('accepts a goodsName of exactly 100 UTF-8 bytes (33 Hangul syllables and one letter)', async () => {
      const owner = await givenCustomerKey(h);

      const response = await create({ ...owner, amount: 1_000, goodsName: `${'가'.repeat(33)}A`, interval: 'monthly' });

      expectData(response, 201);
    });

    it('creates once for a repeated Idempotency-Key, and answers 409 for the key with another body', async () => {
      const owner = await givenCustomerKey(h);
      const body: CreateSubscriptionRequest = { ...owner, amount: 9_900, goodsName: '월간 구독', interval: 'monthly' };
      const idempotencyKey = `sub-${owner.customerId}`;

      const first = await create(body, idempotencyKey);
      const again = await create(body, idempotencyKey);
      const changed = await create({ ...body, amount: 19_900 }, idempotencyKey);

      const created = expectData(first, 201);
      expect(expectData(again, 201)).toEqual(created);
      expectProblem(changed, 409);
      expect((await listFor(owner.customerId)).map((s) => s.id)).toEqual([created.id]);
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

      expect(expectProblem(response, 400).errors).toEqual([
        { field: 'billingKeyId', message: expect.stringContaining('another customer') },
      ]);
    });

    it('refuses a deleted billing key (409) and an unknown one (404)', async () => {
      const { customerId, billingKeyId } = await givenCustomerKey(h);
      expectData(await deleteKey(billingKeyId), 200);

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

      expect(expectProblem(deleted, 409).detail).toContain(billingKeyId);
      expectProblem(unknown, 404);
    });
  });

  describe('GET', () => {
    it('answers 404 for an unknown subscription, its charges and its actions', async () => {
      expectProblem(await h.client.GET('/v1/subscriptions/{id}', byId('sub_nope')), 404);
      expectProblem(await h.client.GET('/v1/subscriptions/{id}/charges', byId('sub_nope')), 404);
      expectProblem(await pause('sub_nope'), 404);
      expectProblem(await resume('sub_nope'), 404);
      expectProblem(await cancel('sub_nope'), 404);
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
      const payment = await getPayment(h, String(charge.paymentId));
      expect(payment).toMatchObject({ orderId: charge.orderId, amount: 15_000, status: 'APPROVED' });
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

      const paused = await pause(subscription.id);
      await runDue(h, new Date(startAt.getTime() + 40 * DAY_MS));

      expect(expectData(paused, 200)).toMatchObject({ status: 'PAUSED', nextChargeAt: null });
      expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toEqual([]);
      expectProblem(await pause(subscription.id), 409);
    });

    it('resumes a paused subscription with the period current at resume time, skipping the periods missed', async () => {
      const startAt = seoul('2027-01-15T09:00:00');
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });
      await runDue(h, startAt);
      expectData(await pause(subscription.id), 200);
      const resumeAt = seoul('2027-03-20T12:00:00');

      const resumed = await h.service.app.get(SubscriptionService).resume(subscription.id, DEFAULT_TENANT_ID, resumeAt);
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

    it('paused while its charge is at the gateway: the approval is recorded and the paid period is not charged again on resume', async () => {
      const startAt = seoul('2027-09-10T09:00:00');
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });
      // The gateway takes its time over the charge (the sandbox's slow fault): the pause lands meanwhile.
      await h.gateway.fault('charge', 'slow', { ordNo: attemptOrderId(subscription.id, 0, 0) });
      const run = runDue(h, startAt);
      await eventually(
        () => chargeRequestsOnKey(h, subscription.billingKeyId),
        (sent) => sent.length === 1,
        10_000,
        50,
      );
      expectData(await pause(subscription.id), 200);
      await run;

      // The subscription changed under the charge: its approval's transaction leaves it as the pause left it.
      expect(await getSubscription(h, subscription.id)).toMatchObject({ status: 'PAUSED', nextChargeAt: null });
      expect((await chargesOf(h, subscription.id)).map((c) => [c.period, c.attempt, c.status])).toEqual([
        [0, 0, 'APPROVED'],
      ]);

      const resumeAt = new Date(startAt.getTime() + 2 * DAY_MS);
      await h.service.app.get(SubscriptionService).resume(subscription.id, DEFAULT_TENANT_ID, resumeAt);
      await runDue(h, resumeAt);

      expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(1);
      expect((await approvalsOnKey(h, subscription.billingKeyId)).map((a) => a.amount)).toEqual([subscription.amount]);
      // The resumed run finds period 0 paid by that approval and moves on to period 1.
      expect(await getSubscription(h, subscription.id)).toMatchObject({
        status: 'ACTIVE',
        currentPeriod: 1,
        nextChargeAt: seoul('2027-10-10T09:00:00').toISOString(),
      });
    });

    it('resumes over the API at the real time: the next charge stays on the future start', async () => {
      const startAt = new Date(Date.now() + 10 * DAY_MS);
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });
      expectData(await pause(subscription.id), 200);

      const resumed = expectData(await resume(subscription.id), 200);

      expect(resumed).toMatchObject({ status: 'ACTIVE', statusReason: null, nextChargeAt: startAt.toISOString() });
      expectProblem(await resume(subscription.id), 409);
    });

    it('cancels for good: CANCELLED, never charged, cannot be resumed or cancelled again', async () => {
      const startAt = seoul('2027-06-12T09:00:00');
      const subscription = await givenSubscription(h, { startAt: startAt.toISOString() });

      const cancelled = await cancel(subscription.id);
      await runDue(h, new Date(startAt.getTime() + DAY_MS));

      expect(expectData(cancelled, 200)).toMatchObject({
        status: 'CANCELLED',
        statusReason: 'cancelled',
        nextChargeAt: null,
        cancelledAt: expect.any(String),
      });
      expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toEqual([]);
      expectProblem(await resume(subscription.id), 409);
      expectProblem(await cancel(subscription.id), 409);
    });
  });

  describe('deleting the billing key', () => {
    it('cancels every live subscription on it with reason billing_key_deleted, and only those', async () => {
      const startAt = seoul('2027-07-01T09:00:00');
      const owner = await givenCustomerKey(h);
      const active = await givenSubscription(h, { ...owner, startAt: startAt.toISOString() });
      const paused = await givenSubscription(h, { ...owner, startAt: startAt.toISOString(), interval: 'weekly' });
      expectData(await pause(paused.id), 200);
      const unrelated = await givenSubscription(h, { startAt: startAt.toISOString() });

      expectData(await deleteKey(owner.billingKeyId), 200);
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
