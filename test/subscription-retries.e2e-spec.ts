import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SANDBOX_MERCHANTS, startSandbox, type RunningSandbox } from '@app/sandbox';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';
import type { SubscriptionBody } from './support/api-bodies';
import { eventsOf, getPayment } from './support/api-reads';
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
import { TcpLink } from './support/tcp-link';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { sleep } from './support/waiting';

/**
 * What a subscription charge does after an outcome that is not the card's decline: a charge that
 * never took place is sent again as the same order; a refusal of our own request is not dunned.
 */
describe('Subscription charges that are no card decline', () => {
  let sandbox: RunningSandbox;
  let link: TcpLink;
  let h: ServiceHarness;

  beforeAll(async () => {
    sandbox = await startSandbox({ logger: false });
    link = new TcpLink(sandbox.baseUrl);
    await link.up();
    h = await startHarness({
      ...SCHEDULER_DRIVEN_BY_TEST,
      PAYSTORY_TIMEOUT_MS: '400',
      PUBLIC_BASE_URL: UNREACHABLE_URL,
      PAYSTORY_BASE_URL: link.url,
      PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
      PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
    });
  });

  afterAll(async () => {
    await h?.close();
    await link?.down();
    await sandbox?.close();
  });

  it('sends the same order again when the gateway could not be reached, never a new attempt', async () => {
    const t0 = seoul('2027-11-01T10:00:00');
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() });

    await link.down();
    // Let the service's HTTP client see its kept-alive connection closed: a charge written on it would be an unknown outcome, not a refused connection.
    await sleep(300);
    await runDue(h, t0);
    await link.up();
    const [unreached] = await chargesOf(h, subscription.id);
    const waiting = await getSubscription(h, subscription.id);
    await runDue(h, new Date(t0.getTime() + 3_600_000));

    expect(unreached).toMatchObject({
      period: 0,
      attempt: 0,
      status: 'UNKNOWN',
      failureCode: 'GATEWAY_UNREACHABLE',
      paymentStatus: 'DECLINED',
    });
    expect(waiting).toMatchObject({ status: 'ACTIVE', currentPeriod: 0, retryAttempt: 0 });
    expect((await chargesOf(h, subscription.id)).map((c) => [c.period, c.attempt, c.status, c.paymentId])).toEqual([
      [0, 0, 'APPROVED', unreached.paymentId],
    ]);
    const orderId = attemptOrderId(subscription.id, 0, 0);
    expect((await chargeRequestsOnKey(h, subscription.billingKeyId)).map((r) => r.fields.ordNo)).toEqual([orderId]);
    expect((await approvalsOnKey(h, subscription.billingKeyId)).map((a) => [a.ordNo, a.amount])).toEqual([
      [orderId, 9_900],
    ]);
    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'ACTIVE',
      currentPeriod: 1,
      retryAttempt: 0,
      nextChargeAt: seoul('2027-12-01T10:00:00').toISOString(),
    });
  });

  it('holds a subscription whose charge the gateway refused as a merchant error: no dunning, a person is asked', async () => {
    const t0 = seoul('2027-11-02T10:00:00');
    // 3012 카드가맹점 정보 미확인: the merchant's set-up at the card company, not the customer's card.
    const subscription = await givenSubscription(h, { startAt: t0.toISOString() }, CARDS.decliningWith('3012'));

    await runDue(h, t0);
    await runDue(h, new Date(t0.getTime() + 10 * DAY_MS));

    expect(await getSubscription(h, subscription.id)).toMatchObject({
      status: 'PAUSED',
      statusReason: expect.stringMatching(/^held: .*3012/),
      nextChargeAt: null,
    });
    const [charge] = await chargesOf(h, subscription.id);
    expect(charge).toMatchObject({ attempt: 0, status: 'DECLINED', failureCode: '3012' });
    const payment = await getPayment(h, charge.paymentId ?? '(no payment)');
    expect(payment).toMatchObject({ status: 'DECLINED', needsAttention: true });
    expect(await chargeRequestsOnKey(h, subscription.billingKeyId)).toHaveLength(1);
    const events = (await eventsOf<SubscriptionBody>(h, subscription.id)).map((e) => e.type);
    expect(events).not.toContain('subscription.past_due');
    expect(events).not.toContain('subscription.unpaid');
  });
});
