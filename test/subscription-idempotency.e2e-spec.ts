import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { installFaultInjector } from '../apps/payments/src/common/faults/fault-points';
import type { ProblemBody, SubscriptionBody } from './support/api-bodies';
import { expectStatus } from './support/api-client';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { getSubscription, givenCustomerKey, SCHEDULER_DRIVEN_BY_TEST } from './support/subscription-factories';

/**
 * A subscription is bound to the Idempotency-Key that created it, in the same transaction: a server
 * error after it committed (here: the key's record fails to be completed) frees the key for a
 * retry, and the retry must find that subscription, never create a second one billed every period.
 */
describe('POST /v1/subscriptions: idempotent across failures', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ ...SCHEDULER_DRIVEN_BY_TEST });
  });

  afterEach(() => installFaultInjector(undefined));

  afterAll(async () => {
    installFaultInjector(undefined);
    await h?.close();
  });

  /** The next completion of this key's idempotency record fails once, after the subscription committed. */
  function failOnceBeforeComplete(key: string): void {
    let failures = 1;
    installFaultInjector((point, subject) =>
      point === 'idempotency.before-complete' && subject === key && failures-- > 0 ? 'throw' : 'none',
    );
  }

  const subscriptionsOf = (customerId: string) =>
    h.db.query<{ id: string }>('SELECT id FROM subscriptions WHERE customer_id = ?', customerId);

  it('answers the retry of a key whose first answer was a 5xx with the subscription it created, and holds one', async () => {
    const owner = await givenCustomerKey(h);
    const body = { ...owner, amount: 9_900, goodsName: '월간 구독', interval: 'monthly' };
    const headers = { 'idempotency-key': `sub-5xx-${owner.customerId}` };
    failOnceBeforeComplete(headers['idempotency-key']);

    const first = await h.api<ProblemBody>('POST', '/v1/subscriptions', body, headers);
    const retry = await h.api<SubscriptionBody>('POST', '/v1/subscriptions', body, headers);
    const again = await h.api<SubscriptionBody>('POST', '/v1/subscriptions', body, headers);

    expect(first.status).toBeGreaterThanOrEqual(500);
    expectStatus(retry, 201);
    expect(retry.body).toMatchObject({ ...owner, amount: 9_900, status: 'ACTIVE', currentPeriod: 0 });
    expect(retry.body).toEqual(await getSubscription(h, retry.body.id));
    expectStatus(again, 201);
    expect(again.body).toEqual(retry.body);
    expect((await subscriptionsOf(owner.customerId)).map((s) => s.id)).toEqual([retry.body.id]);
  });

  it('refuses the key with another body after a 5xx (409), creating nothing more', async () => {
    const owner = await givenCustomerKey(h);
    const body = { ...owner, amount: 9_900, goodsName: '월간 구독', interval: 'monthly' };
    const headers = { 'idempotency-key': `sub-changed-${owner.customerId}` };
    failOnceBeforeComplete(headers['idempotency-key']);

    const first = await h.api<ProblemBody>('POST', '/v1/subscriptions', body, headers);
    const changed = await h.api<ProblemBody>('POST', '/v1/subscriptions', { ...body, amount: 19_900 }, headers);

    expect(first.status).toBeGreaterThanOrEqual(500);
    expectStatus(changed, 409);
    expect(changed.body.type).toContain('idempotency_key_reused');
    const stored = await h.db.query<{ amount: number }>(
      'SELECT amount FROM subscriptions WHERE customer_id = ?',
      owner.customerId,
    );
    expect(stored.map((s) => Number(s.amount))).toEqual([9_900]);
  });
});
