import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { installFaultInjector } from '../apps/payments/src/common/faults/fault-points';
import type { CreateSubscriptionRequest } from '@app/payments-client';
import { expectData, expectProblem } from './support/api-client';
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

  const create = (body: CreateSubscriptionRequest, idempotencyKey: string) =>
    h.client.POST('/v1/subscriptions', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });

  const subscriptionsOf = (customerId: string) =>
    h.db.query<{ id: string }>('SELECT id FROM subscriptions WHERE customer_id = ?', customerId);

  it('answers the retry of a key whose first answer was a 5xx with the subscription it created, and holds one', async () => {
    const owner = await givenCustomerKey(h);
    const body: CreateSubscriptionRequest = { ...owner, amount: 9_900, goodsName: '월간 구독', interval: 'monthly' };
    const idempotencyKey = `sub-5xx-${owner.customerId}`;
    failOnceBeforeComplete(idempotencyKey);

    const first = await create(body, idempotencyKey);
    const retry = await create(body, idempotencyKey);
    const again = await create(body, idempotencyKey);

    expect(first.response.status).toBeGreaterThanOrEqual(500);
    const created = expectData(retry, 201);
    expect(created).toMatchObject({ ...owner, amount: 9_900, status: 'ACTIVE', currentPeriod: 0 });
    expect(created).toEqual(await getSubscription(h, created.id));
    expect(expectData(again, 201)).toEqual(created);
    expect((await subscriptionsOf(owner.customerId)).map((s) => s.id)).toEqual([created.id]);
  });

  it('refuses the key with another body after a 5xx (409), creating nothing more', async () => {
    const owner = await givenCustomerKey(h);
    const body: CreateSubscriptionRequest = { ...owner, amount: 9_900, goodsName: '월간 구독', interval: 'monthly' };
    const idempotencyKey = `sub-changed-${owner.customerId}`;
    failOnceBeforeComplete(idempotencyKey);

    const first = await create(body, idempotencyKey);
    const changed = await create({ ...body, amount: 19_900 }, idempotencyKey);

    expect(first.response.status).toBeGreaterThanOrEqual(500);
    expect(expectProblem(changed, 409).type).toContain('idempotency_key_reused');
    const stored = await h.db.query<{ amount: number }>(
      'SELECT amount FROM subscriptions WHERE customer_id = ?',
      owner.customerId,
    );
    expect(stored.map((s) => Number(s.amount))).toEqual([9_900]);
  });
});
