import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeForm } from '@app/paystory/charset/charset';
import { daysFromIssuingDay } from '../apps/payments/src/billing/phone-billing-window';
import { periodStart } from '../apps/payments/src/subscription/calendar/billing-calendar';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';
import { SubscriptionService } from '../apps/payments/src/subscription/subscription.service';
import { DEFAULT_TENANT_ID } from '../apps/payments/src/common/auth/principal';
import type { CreateSubscriptionRequest, Subscription } from '@app/payments-client';
import { expectData, expectProblem } from './support/api-client';
import { getPayment } from './support/api-reads';
import { openAuthSession } from './support/auth-window';
import { startHarness, type ServiceHarness } from './support/service-harness';
import {
  approvalsOnKey,
  chargeRequestsOnKey,
  chargesOf,
  DAY_MS,
  getSubscription,
  runDue,
  SCHEDULER_DRIVEN_BY_TEST,
} from './support/subscription-factories';

const FIRST_MONTH = 9_900;

/**
 * Phone billing (guide §3.1.3, §3.3.4): issuing a phone key charges the first month, and the key is
 * charged the same amount each month within ±5 days of the issuing day. Keys are issued through the
 * auth window over HTTP, as a person's browser would; the gateway's clock can be set back to issue
 * a key "days ago".
 */
describe('Phone billing: one charge per month, inside the ±5-day window on every path', () => {
  let h: ServiceHarness;
  let gatewayClockShiftMs = 0;

  beforeAll(async () => {
    h = await startHarness(
      { ...SCHEDULER_DRIVEN_BY_TEST },
      { sandbox: { clock: { now: () => new Date(Date.now() + gatewayClockShiftMs) } } },
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  /** Opens a registration, authenticates a phone in the gateway's window, and posts its answer to the returnUrl. */
  async function issuePhoneKey(
    customerId: string,
    issuedDaysAgo = 0,
  ): Promise<{ customerId: string; billingKeyId: string; paymentId: string }> {
    const opened = await openAuthSession(h, {
      customerId,
      payMethod: 'PHONE',
      amount: FIRST_MONTH,
      goodsName: '휴대폰 월간 구독',
    });
    gatewayClockShiftMs = -issuedDaysAgo * DAY_MS;
    try {
      const entry = await postForm(opened.actionUrl, opened.fields);
      const orderKey = /name="orderKey" value="([^"]+)"/.exec(entry)?.[1] ?? '';
      const authorized = await postForm(`${h.gatewayUrl}/order/authorize`, { orderKey, phone: '01098765432' });
      const message = JSON.parse(/deliver\((\{.*\})\);/.exec(authorized)?.[1] ?? '{}') as {
        resultCode: string;
        data: Record<string, string>;
      };
      expect(message.resultCode).toBe('0000');
      await postForm(opened.returnUrl, message.data);
    } finally {
      gatewayClockShiftMs = 0;
    }
    const completed = expectData(
      await h.client.GET('/v1/billing-keys/auth-sessions/{id}', { params: { path: { id: opened.id } } }),
      200,
    );
    expect(completed).toMatchObject({
      status: 'COMPLETED',
      billingKeyId: expect.any(String),
      paymentId: expect.any(String),
    });
    return { customerId, billingKeyId: completed.billingKeyId ?? '', paymentId: completed.paymentId ?? '' };
  }

  const subscribe = (
    body: Pick<CreateSubscriptionRequest, 'customerId' | 'billingKeyId'> & Partial<CreateSubscriptionRequest>,
  ) =>
    h.client.POST('/v1/subscriptions', {
      body: { amount: FIRST_MONTH, goodsName: '휴대폰 월간 구독', interval: 'monthly', ...body },
    });

  const periodOf = (s: Subscription, index: number) =>
    periodStart({ interval: 'monthly', startAt: new Date(s.startAt), anchorDay: s.anchorDay }, index);
  const nextMonthOf = (s: Subscription) => periodOf(s, 1);

  it('takes the payment made at issuance as the first month: one approval, then the next month once on the anchor day', async () => {
    const key = await issuePhoneKey('phone-once');

    const created = expectData(await subscribe({ customerId: key.customerId, billingKeyId: key.billingKeyId }), 201);
    const nextMonth = nextMonthOf(created);
    await runDue(h, new Date(Date.now() + 60_000));
    const afterFirstRun = await approvalsOnKey(h, key.billingKeyId);
    await runDue(h, nextMonth);
    await runDue(h, new Date(nextMonth.getTime() + 3_600_000));

    expect(created).toMatchObject({ status: 'ACTIVE', currentPeriod: 1, nextChargeAt: nextMonth.toISOString() });
    expect(afterFirstRun.map((a) => a.amount)).toEqual([FIRST_MONTH]);
    const charges = await chargesOf(h, created.id);
    expect(charges.map((c) => [c.period, c.attempt, c.status, c.paymentId, c.amount])).toEqual([
      [0, 0, 'APPROVED', key.paymentId, FIRST_MONTH],
      [1, 0, 'APPROVED', expect.any(String), FIRST_MONTH],
    ]);
    const approvals = await approvalsOnKey(h, key.billingKeyId);
    expect(approvals.map((a) => [a.ordNo, a.amount])).toEqual([
      [afterFirstRun[0].ordNo, FIRST_MONTH],
      [charges[1].orderId, FIRST_MONTH],
    ]);
    expect(await getSubscription(h, created.id)).toMatchObject({
      currentPeriod: 2,
      nextChargeAt: periodOf(created, 2).toISOString(),
    });
  });

  it('lets one subscription only take the issuance payment, and refuses another amount than it naming amount', async () => {
    const key = await issuePhoneKey('phone-twice');

    const otherAmount = await subscribe({ customerId: key.customerId, billingKeyId: key.billingKeyId, amount: 12_900 });
    const first = await subscribe({ customerId: key.customerId, billingKeyId: key.billingKeyId });
    const second = await subscribe({ customerId: key.customerId, billingKeyId: key.billingKeyId });

    expect(expectProblem(otherAmount, 400).errors).toEqual([
      { field: 'amount', message: expect.stringContaining(`${FIRST_MONTH} KRW`) },
    ]);
    const firstCreated = expectData(first, 201);
    const secondCreated = expectData(second, 201);
    expect(firstCreated.currentPeriod).toBe(1);
    expect(secondCreated).toMatchObject({ currentPeriod: 0, nextChargeAt: secondCreated.startAt });
    expect((await chargesOf(h, firstCreated.id)).map((c) => c.paymentId)).toEqual([key.paymentId]);
    expect(await chargesOf(h, secondCreated.id)).toEqual([]);
  });

  it('refuses a one-off charge outside the window (naming billingKeyId) or of another amount, sending nothing', async () => {
    const stale = await issuePhoneKey('phone-stale', 15);
    const fresh = await issuePhoneKey('phone-fresh');

    const outside = await h.client.POST('/v1/payments', {
      body: { billingKeyId: stale.billingKeyId, amount: FIRST_MONTH, goodsName: '추가 결제' },
    });
    const otherAmount = await h.client.POST('/v1/payments', {
      body: { billingKeyId: fresh.billingKeyId, amount: 5_000, goodsName: '추가 결제' },
    });
    const sameAmount = await h.client.POST('/v1/payments', {
      body: { billingKeyId: fresh.billingKeyId, amount: FIRST_MONTH, goodsName: '월간 구독' },
    });

    expect(expectProblem(outside, 400).errors).toEqual([
      { field: 'billingKeyId', message: expect.stringContaining('§3.3.4') },
    ]);
    expect(await chargeRequestsOnKey(h, stale.billingKeyId)).toEqual([]);
    expect(expectProblem(otherAmount, 400).errors).toEqual([
      { field: 'amount', message: expect.stringContaining(`${FIRST_MONTH} KRW`) },
    ]);
    expectData(sameAmount, 201);
    expect((await chargeRequestsOnKey(h, fresh.billingKeyId)).map((r) => r.fields.goodsAmt)).toEqual([
      String(FIRST_MONTH),
    ]);
  });

  it('charges nothing when the scheduler runs after the window closed, and goes on with the next month on its anchor day', async () => {
    const key = await issuePhoneKey('phone-late-run');
    const subscription = expectData(
      await subscribe({ customerId: key.customerId, billingKeyId: key.billingKeyId }),
      201,
    );

    await runDue(h, new Date(nextMonthOf(subscription).getTime() + 8 * DAY_MS));

    expect(await chargeRequestsOnKey(h, key.billingKeyId)).toEqual([]);
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'ACTIVE',
      currentPeriod: 2,
      nextChargeAt: periodOf(subscription, 2).toISOString(),
    });
    expect((await chargesOf(h, subscription.id)).map((c) => c.period)).toEqual([0]);
  });

  it('schedules dunning retries inside the window only, and resumes into the window', async () => {
    const key = await issuePhoneKey('phone-dunning');
    const subscription = expectData(
      await subscribe({ customerId: key.customerId, billingKeyId: key.billingKeyId }),
      201,
    );
    const t1 = nextMonthOf(subscription);
    const at = (days: number) => new Date(t1.getTime() + days * DAY_MS);
    // The carrier declines each attempt at the second month (other tests' subscriptions fall due meanwhile too).
    for (const attempt of [0, 1, 2, 3])
      await h.gateway.fault('charge', 'decline', { ordNo: attemptOrderId(subscription.id, 1, attempt), code: '3002' });

    await runDue(h, t1);
    const afterFirstDecline = await getSubscription(h, subscription.id);
    await runDue(h, at(1));
    const afterSecond = await getSubscription(h, subscription.id);
    await runDue(h, at(4));
    const afterThird = await getSubscription(h, subscription.id);
    await runDue(h, at(5));
    const unpaid = await getSubscription(h, subscription.id);
    const resumeAt = at(12);
    const resumed = await h.service.app.get(SubscriptionService).resume(subscription.id, DEFAULT_TENANT_ID, resumeAt);

    // SUBSCRIPTION_RETRY_DAYS 1,3,5 would retry on days +1, +4 and +9; +9 is past the window, so the last retry is on its last day, +5.
    expect(afterFirstDecline).toMatchObject({ status: 'PAST_DUE', nextChargeAt: at(1).toISOString() });
    expect(afterSecond).toMatchObject({ status: 'PAST_DUE', nextChargeAt: at(4).toISOString() });
    expect(afterThird).toMatchObject({ status: 'PAST_DUE', nextChargeAt: at(5).toISOString() });
    expect(unpaid).toMatchObject({ status: 'UNPAID', nextChargeAt: null });
    expect((await chargeRequestsOnKey(h, key.billingKeyId)).map((r) => r.resultCd)).toEqual([
      '3002',
      '3002',
      '3002',
      '3002',
    ]);
    const issuedAt = new Date((await getPayment(h, key.paymentId)).approvedAt ?? '');
    for (const due of [at(0), at(1), at(4), at(5)]) expect(daysFromIssuingDay(issuedAt, due)).toBeLessThanOrEqual(5);
    // Resumed 12 days after the anchor, once the window closed: the unpaid month is not charged in the next month's window; the next month is, on its anchor day.
    expect(resumed).toMatchObject({
      status: 'ACTIVE',
      currentPeriod: 2,
      retryAttempt: 0,
      nextChargeAt: periodOf(subscription, 2).toISOString(),
    });
  });
});

async function postForm(url: string, fields: Record<string, string>): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: encodeForm(fields, 'UTF-8'),
  });
  expect(response.ok).toBe(true);
  return response.text();
}
