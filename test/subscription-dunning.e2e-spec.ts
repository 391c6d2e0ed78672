import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';
import { SubscriptionService } from '../apps/payments/src/subscription/subscription.service';
import { DEFAULT_TENANT_ID } from '../apps/payments/src/common/auth/principal';
import { PaymentJanitor } from '../apps/payments/src/payment/resolution/payment-janitor';
import type { SubscriptionBody } from './support/api-bodies';
import { expectData, type ClientCaller } from './support/api-client';
import { eventsOf } from './support/api-reads';
import { CARDS } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';
import {
  approvalsOnKey,
  chargeRequestsOnKey,
  chargesOf,
  DAY_MS,
  getSubscription,
  givenSubscription,
  runDue,
  SCHEDULER_DRIVEN_BY_TEST,
  seoul,
} from './support/subscription-factories';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { eventually, sleep } from './support/waiting';

const byId = (id: string) => ({ params: { path: { id } } });
const pause = (caller: ClientCaller, id: string) => caller.client.POST('/v1/subscriptions/{id}/pause', byId(id));
const resume = (caller: ClientCaller, id: string) => caller.client.POST('/v1/subscriptions/{id}/resume', byId(id));

const DECLINING_CARD = CARDS.decliningWith('3030');
const LOST_OR_STOLEN_CARD = CARDS.decliningWith('3003');
const EXPIRED_CARD = CARDS.decliningWith('3000');

describe('Dunning (SUBSCRIPTION_RETRY_DAYS, default 1,3,5)', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ ...SCHEDULER_DRIVEN_BY_TEST }, { sandbox: { slowMs: 500 } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('retries a declined period 1, 3 and 5 days after each decline: PAST_DUE, then UNPAID after 4 charges', async () => {
    const t0 = seoul('2027-09-01T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() }, DECLINING_CARD);
    const at = (days: number) => new Date(t0.getTime() + days * DAY_MS);

    await runDue(h, t0);
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'PAST_DUE',
      statusReason: 'declined 3030',
      currentPeriod: 0,
      retryAttempt: 1,
      nextChargeAt: at(1).toISOString(),
    });

    await runDue(h, new Date(at(1).getTime() - 1_000)); // not yet due
    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(1);

    await runDue(h, at(1));
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'PAST_DUE',
      retryAttempt: 2,
      nextChargeAt: at(4).toISOString(),
    });

    await runDue(h, at(4));
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'PAST_DUE',
      retryAttempt: 3,
      nextChargeAt: at(9).toISOString(),
    });

    await runDue(h, at(9));
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'UNPAID',
      statusReason: expect.stringContaining('3030'),
      nextChargeAt: null,
    });

    await runDue(h, at(60)); // an UNPAID subscription is not charged again
    const charges = await chargesOf(h, subscription.id);
    expect(charges.map((c) => [c.period, c.attempt, c.status, c.failureCode, c.paymentStatus])).toEqual([
      [0, 0, 'DECLINED', '3030', 'DECLINED'],
      [0, 1, 'DECLINED', '3030', 'DECLINED'],
      [0, 2, 'DECLINED', '3030', 'DECLINED'],
      [0, 3, 'DECLINED', '3030', 'DECLINED'],
    ]);
    const sent = await chargeRequestsOnKey(h, subscription.billingKeyId);
    expect(sent).toHaveLength(4);
    expect(sent.map((r) => r.fields.ordNo)).toEqual(charges.map((c) => c.orderId));
    expect(new Set(sent.map((r) => r.fields.ordNo)).size).toBe(4);
    const events = (await eventsOf<SubscriptionBody>(h, subscription.id)).map((e) => e.type);
    expect(events.filter((t) => t === 'subscription.past_due')).toHaveLength(1);
    expect(events.filter((t) => t === 'subscription.unpaid')).toHaveLength(1);
  });

  it.each([
    ['3003 lost or stolen', LOST_OR_STOLEN_CARD, '3003'],
    ['3000 expired', EXPIRED_CARD, '3000'],
  ])('skips the retries on a hard decline (%s): UNPAID after one charge', async (_, cardNo, code) => {
    const t0 = seoul('2027-09-02T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() }, cardNo);

    await runDue(h, t0);
    await runDue(h, new Date(t0.getTime() + 10 * DAY_MS));

    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'UNPAID',
      statusReason: expect.stringContaining(`${code} (hard decline`),
      nextChargeAt: null,
    });
    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(1);
    expect((await chargesOf(h, subscription.id)).map((c) => [c.attempt, c.status, c.failureCode])).toEqual([
      [0, 'DECLINED', code],
    ]);
  });

  it('recovers after a successful retry: ACTIVE again, the next period on the anchor day', async () => {
    const t0 = seoul('2027-09-03T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString(), amount: 20_000 });
    // The card company declines the first attempt (a soft decline: 3002 카드 결제 실패), not the retry.
    await h.gateway.fault('charge', 'decline', { ordNo: attemptOrderId(subscription.id, 0, 0), code: '3002' });

    await runDue(h, t0);
    const pastDue = await getSubscription(h, subscription.id);
    await runDue(h, new Date(t0.getTime() + DAY_MS));

    expect(pastDue).toMatchObject({
      status: 'PAST_DUE',
      statusReason: 'declined 3002',
      nextChargeAt: new Date(t0.getTime() + DAY_MS).toISOString(),
    });
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'ACTIVE',
      statusReason: null,
      currentPeriod: 1,
      retryAttempt: 0,
      nextChargeAt: seoul('2027-10-03T10:00:00').toISOString(),
    });
    const charges = await chargesOf(h, subscription.id);
    expect(charges.map((c) => [c.period, c.attempt, c.status, c.amount])).toEqual([
      [0, 0, 'DECLINED', 20_000],
      [0, 1, 'APPROVED', 20_000],
    ]);
    const approvals = await approvalsOnKey(h, subscription.billingKeyId);
    expect(approvals.map((a) => [a.ordNo, a.amount])).toEqual([[charges[1].orderId, 20_000]]);
    expect((await eventsOf<SubscriptionBody>(h, subscription.id)).map((e) => e.type)).toEqual([
      'subscription.created',
      'subscription.past_due',
      'subscription.charged',
    ]);
  });

  it('charges an UNPAID subscription again at once when resumed', async () => {
    const t0 = seoul('2027-09-04T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() }, LOST_OR_STOLEN_CARD);
    await runDue(h, t0);
    expect(await getSubscription(h, subscription.id)).toMatchObject({ status: 'UNPAID' });

    const resumed = await resume(h, subscription.id);
    await runDue(h, new Date());

    expectData(resumed, 200);
    expect((await chargesOf(h, subscription.id)).map((c) => [c.period, c.attempt, c.status])).toEqual([
      [0, 0, 'DECLINED'],
      [0, 1, 'DECLINED'],
    ]);
    expect(await getSubscription(h, subscription.id)).toMatchObject({ status: 'UNPAID' });
  });

  it('resumes a PAST_DUE subscription paused within its period with its next attempt, charged at once', async () => {
    const t0 = seoul('2027-09-05T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() }, DECLINING_CARD);
    await runDue(h, t0);
    expectData(await pause(h, subscription.id), 200);
    const resumeAt = new Date(t0.getTime() + 2 * 3_600_000);

    const resumed = await h.service.app.get(SubscriptionService).resume(subscription.id, DEFAULT_TENANT_ID, resumeAt);
    await runDue(h, resumeAt);

    expect(resumed).toMatchObject({
      status: 'ACTIVE',
      currentPeriod: 0,
      retryAttempt: 1,
      nextChargeAt: resumeAt.toISOString(),
    });
    expect((await chargesOf(h, subscription.id)).map((c) => [c.attempt, c.status])).toEqual([
      [0, 'DECLINED'],
      [1, 'DECLINED'],
    ]);
    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(2);
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'PAST_DUE',
      nextChargeAt: new Date(resumeAt.getTime() + 3 * DAY_MS).toISOString(),
    });
  });

  it('counts a charge approved while the subscription was paused for its period once resumed', async () => {
    const t0 = seoul('2027-09-06T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() });
    await h.gateway.fault('charge', 'slow');

    const run = runDue(h, t0);
    await eventually(
      () => chargeRequestsOnKey(h, subscription.billingKeyId),
      (sent) => sent.length > 0,
      10_000,
      20,
    );
    expectData(await pause(h, subscription.id), 200); // while the gateway is still at it
    await run;
    const whilePaused = await getSubscription(h, subscription.id);
    const resumeAt = new Date(t0.getTime() + 3_600_000);
    await h.service.app.get(SubscriptionService).resume(subscription.id, DEFAULT_TENANT_ID, resumeAt);
    await runDue(h, resumeAt);

    expect(whilePaused).toMatchObject({ status: 'PAUSED', currentPeriod: 0 });
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'ACTIVE',
      currentPeriod: 1,
      nextChargeAt: seoul('2027-10-06T10:00:00').toISOString(),
    });
    expect((await chargesOf(h, subscription.id)).map((c) => [c.period, c.attempt, c.status])).toEqual([
      [0, 0, 'APPROVED'],
    ]);
    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(1);
  });
});

describe('An UNKNOWN charge blocks its period until resolved', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness(
      {
        ...SCHEDULER_DRIVEN_BY_TEST,
        PAYSTORY_TIMEOUT_MS: '300',
        JANITOR_STALE_AFTER_MS: '301',
        JANITOR_BACKOFF_MS: '0',
        // The gateway's notifications go nowhere, so only the janitor's transaction query can learn the outcome.
        PUBLIC_BASE_URL: UNREACHABLE_URL,
      },
      { sandbox: { hangMs: 1_000, notiRetryDelaysMs: [] } },
    );
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is never charged anew; once the janitor learns it was approved, the next run advances with THAT payment', async () => {
    const t0 = seoul('2027-10-01T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() });
    await h.gateway.fault('charge', 'hang-after-processing');

    await runDue(h, t0);
    const blocked = await getSubscription(h, subscription.id);
    const [unknown] = await chargesOf(h, subscription.id);
    await runDue(h, new Date(t0.getTime() + 3_600_000)); // still unknown: looked at, not charged

    expect(blocked).toMatchObject({ status: 'ACTIVE', currentPeriod: 0, retryAttempt: 0 });
    expect(Date.parse(blocked.nextChargeAt ?? '')).toBeGreaterThan(t0.getTime());
    expect(unknown).toMatchObject({ period: 0, attempt: 0, status: 'UNKNOWN', paymentStatus: 'UNKNOWN' });
    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(1);
    expect(await getSubscription(h, subscription.id)).toMatchObject({ currentPeriod: 0, retryAttempt: 0 });

    await h.service.app.get(PaymentJanitor).runNow();
    await runDue(h, new Date(t0.getTime() + 2 * 3_600_000));

    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'ACTIVE',
      currentPeriod: 1,
      retryAttempt: 0,
      nextChargeAt: seoul('2027-11-01T10:00:00').toISOString(),
    });
    const charges = await chargesOf(h, subscription.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      id: unknown.id,
      paymentId: unknown.paymentId,
      orderId: unknown.orderId,
      status: 'APPROVED',
      paymentStatus: 'APPROVED',
    });
    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(1);
    expect((await approvalsOnKey(h, subscription.billingKeyId)).map((a) => a.ordNo)).toEqual([unknown.orderId]);
  });

  it('sends the same order again, not as a decline, when the janitor learns the charge never reached the gateway', async () => {
    const t0 = seoul('2027-10-02T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() });
    await h.gateway.fault('charge', 'hang-before-processing');

    await runDue(h, t0);
    const [lost] = await chargesOf(h, subscription.id);
    await sleep(301); // the gateway's "no such order" counts only JANITOR_STALE_AFTER_MS after sending
    await h.service.app.get(PaymentJanitor).runNow();
    await runDue(h, new Date(t0.getTime() + 3_600_000));

    expect(lost).toMatchObject({ attempt: 0, status: 'UNKNOWN', paymentStatus: 'UNKNOWN' });
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'ACTIVE',
      currentPeriod: 1,
      retryAttempt: 0,
      nextChargeAt: seoul('2027-11-02T10:00:00').toISOString(),
    });
    expect((await chargesOf(h, subscription.id)).map((c) => [c.attempt, c.status, c.failureCode])).toEqual([
      [0, 'APPROVED', null],
    ]);
    expect((await eventsOf<SubscriptionBody>(h, subscription.id)).map((e) => e.type)).not.toContain(
      'subscription.past_due',
    );
    // One order for the period, sent twice (the first never arrived), approved once.
    expect((await chargeRequestsOnKey(h, subscription.billingKeyId)).map((r) => r.fields.ordNo)).toEqual([
      lost.orderId,
      lost.orderId,
    ]);
    expect((await approvalsOnKey(h, subscription.billingKeyId)).map((a) => a.ordNo)).toEqual([
      attemptOrderId(subscription.id, 0, 0),
    ]);
  });
  it('does not count a charge that never reached the gateway as one of the dunning retries', async () => {
    const t0 = seoul('2027-10-03T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() }, DECLINING_CARD);
    await h.gateway.fault('charge', 'http-500'); // not processed; the 500 leaves the charge UNKNOWN at once
    const hour = (n: number) => new Date(t0.getTime() + n * 3_600_000);

    await runDue(h, t0);
    await sleep(301); // the gateway's "no such order" counts only JANITOR_STALE_AFTER_MS after sending
    await h.service.app.get(PaymentJanitor).runNow(); // no such order: the same order is sent again, and the card declines it
    await runDue(h, hour(1)); // the card's own first decline, on attempt 0
    const afterFirstDecline = await getSubscription(h, subscription.id);
    const firstRetry = new Date(hour(1).getTime() + DAY_MS);
    await runDue(h, firstRetry);
    await runDue(h, new Date(firstRetry.getTime() + 3 * DAY_MS));
    const beforeLastRetry = await getSubscription(h, subscription.id);
    await runDue(h, new Date(firstRetry.getTime() + 8 * DAY_MS));

    expect(afterFirstDecline).toMatchObject({
      status: 'PAST_DUE',
      statusReason: 'declined 3030',
      nextChargeAt: firstRetry.toISOString(),
    });
    expect(beforeLastRetry).toMatchObject({
      status: 'PAST_DUE',
      nextChargeAt: new Date(firstRetry.getTime() + 8 * DAY_MS).toISOString(),
    });
    expect(await getSubscription(h, subscription.id)).toMatchObject({ status: 'UNPAID', nextChargeAt: null });
    expect((await chargesOf(h, subscription.id)).map((c) => [c.attempt, c.failureCode])).toEqual([
      [0, '3030'],
      [1, '3030'],
      [2, '3030'],
      [3, '3030'],
    ]);
    // The lost first request used no retry: attempt 0 was sent twice as one order.
    const requests = await chargeRequestsOnKey(h, subscription.billingKeyId);
    expect(requests.map((r) => r.resultCd ?? 'none')).toEqual(['none', '3030', '3030', '3030', '3030']);
    expect(requests[0].fields.ordNo).toBe(requests[1].fields.ordNo);
  });
});
