import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../apps/payments/src/common/errors/app-error';
import { ErrorCode } from '../apps/payments/src/common/errors/error-code';
import { keyOf, RedisWindowCounter } from '../apps/payments/src/gateway/rate-limit/redis-window-counter';
import { windowStartSecond } from '../apps/payments/src/gateway/rate-limit/aligned-windows';
import { expectData } from './support/api-client';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { CapturingLogger } from './support/capturing-logger';
import { billingKeyBid, paymentRows } from './support/database-reader';
import { REDIS_URL, redisListening, redisReader, UNREACHABLE_REDIS_URL } from './support/redis';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { TcpLink } from './support/tcp-link';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { eventually, sleep } from './support/waiting';
import { getSubscription, givenSubscription, runDue, SCHEDULER_DRIVEN_BY_TEST } from './support/subscription-factories';
import { attemptOrderId } from '../apps/payments/src/subscription/subscription-billing.service';
import { PaymentJanitor } from '../apps/payments/src/payment/resolution/payment-janitor';

const redisUp = redisListening();
if (!redisUp)
  console.warn(`Skipping the Redis gateway rate tests: nothing listens at ${REDIS_URL} (set TEST_REDIS_URL)`);
const describeWithRedis = redisUp ? describe : describe.skip;

const WINDOW = 1_764_000_000;

describeWithRedis('the gateway rate counted in Redis (PAYSTORY_RATE_LIMIT_REDIS_URL)', () => {
  let redis: Redis;
  /** Two counters on connections of their own, as two instances of the service would have. */
  let instances: RedisWindowCounter[];
  const newMerchant = () => `m-${randomUUID().slice(0, 8)}`;
  const used = async (merchant: string, windowStart: number) =>
    Number((await redis.get(keyOf(merchant, windowStart))) ?? 0);

  beforeAll(() => {
    redis = redisReader();
    instances = [new RedisWindowCounter(REDIS_URL), new RedisWindowCounter(REDIS_URL)];
  });
  afterAll(async () => {
    await Promise.all(instances.map((counter) => counter.onApplicationShutdown()));
    await redis.quit();
  });

  it('grants instances racing for one window no more slots between them than the limit', async () => {
    const merchant = newMerchant();
    const taken = await Promise.all(Array.from({ length: 40 }, (_, i) => instances[i % 2].take(merchant, WINDOW, 15)));

    expect(taken.filter(Boolean)).toHaveLength(15);
    expect(await used(merchant, WINDOW)).toBe(15);
  });

  it('takes a slot of a window and of the next in one script, never past the limit of either', async () => {
    const merchant = newMerchant();
    const taken = await Promise.all(
      Array.from({ length: 5 }, (_, i) => instances[i % 2].takeSpanning(merchant, WINDOW, 3)),
    );

    expect(taken.filter(Boolean)).toHaveLength(3);
    expect([await used(merchant, WINDOW), await used(merchant, WINDOW + 1)]).toEqual([3, 3]);
  });

  it('counts nothing in the next window when this one is full, and spends this one’s slot when the next is full', async () => {
    const full = newMerchant();
    for (let i = 0; i < 2; i++) expect(await instances[0].take(full, WINDOW, 2)).toBe(true);
    expect(await instances[1].takeSpanning(full, WINDOW, 2)).toBe(false);
    expect([await used(full, WINDOW), await used(full, WINDOW + 1)]).toEqual([2, 0]);

    const nextFull = newMerchant();
    for (let i = 0; i < 2; i++) expect(await instances[0].take(nextFull, WINDOW + 1, 2)).toBe(true);
    expect(await instances[1].takeSpanning(nextFull, WINDOW, 2)).toBe(false);
    expect([await used(nextFull, WINDOW), await used(nextFull, WINDOW + 1)]).toEqual([1, 2]);
  });

  it('gives a slot back to each of its windows, never below none taken', async () => {
    const merchant = newMerchant();
    for (let i = 0; i < 2; i++) expect(await instances[0].take(merchant, WINDOW, 2)).toBe(true);
    expect(await instances[0].takeSpanning(merchant, WINDOW + 1, 2)).toBe(true);

    await instances[1].giveBack(merchant, [WINDOW, WINDOW + 1]);
    await instances[1].giveBack(merchant, [WINDOW + 1]);

    expect([await used(merchant, WINDOW), await used(merchant, WINDOW + 1), await used(merchant, WINDOW + 2)]).toEqual([
      1, 0, 1,
    ]);
    expect(await instances[0].take(merchant, WINDOW, 2)).toBe(true);
    expect(await instances[0].take(merchant, WINDOW, 2)).toBe(false);
  });

  it('leaves each window to expire in Redis a minute after it, under a hash tag of its merchant', async () => {
    const merchant = newMerchant();
    expect(await instances[0].takeSpanning(merchant, WINDOW, 1)).toBe(true);

    for (const windowStart of [WINDOW, WINDOW + 1]) {
      const ttl = await redis.ttl(keyOf(merchant, windowStart));
      expect(ttl).toBeGreaterThan(50);
      expect(ttl).toBeLessThanOrEqual(60);
    }
    expect(keyOf(merchant, WINDOW)).toBe(`paystory:rate:{${merchant}}:${WINDOW}`);
  });
});

describeWithRedis('API charges when the gateway rate is counted in Redis', () => {
  let link: TcpLink;
  let h: ServiceHarness;
  let redis: Redis;
  const logged = new CapturingLogger();

  beforeAll(async () => {
    redis = redisReader();
    // Redis behind a link the test can cut or freeze, as an outage or a hung server would.
    link = new TcpLink(REDIS_URL);
    await link.up();
    h = await startHarness(
      { PAYSTORY_RATE_LIMIT_REDIS_URL: link.url, PAYSTORY_RATE_LIMIT: '50', PUBLIC_BASE_URL: UNREACHABLE_URL },
      { logger: logged },
    );
  });
  afterAll(async () => {
    await h?.close();
    await link?.down();
    await redis?.quit();
  });

  const ready = async () => {
    const response = await fetch(`${h.service.url}/health/ready`);
    return { status: response.status, body: (await response.json()) as { details: Record<string, unknown> } };
  };

  it('count each request to the gateway in Redis, not in the database', async () => {
    const key = await givenActiveBillingKey(h);
    const before = windowStartSecond(Date.now());
    const payment = expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id) }), 201);
    const after = windowStartSecond(Date.now());

    expect(payment.status).toBe('APPROVED');
    const merchant = h.service.config.paystory.merchants[0].name;
    let counted = 0;
    for (let windowStart = before - 1; windowStart <= after + 1; windowStart++)
      counted += Number((await redis.get(keyOf(merchant, windowStart))) ?? 0);
    // The registration's slot and the charge's, each in one window or (late in a second) in two.
    expect(counted).toBeGreaterThanOrEqual(1);
    expect(await h.db.query('SELECT * FROM gateway_rate_windows')).toEqual([]);
    expect((await ready()).body.details).toMatchObject({ rateStore: { status: 'up', store: 'redis' } });
  });

  it('answer 503 with Retry-After while Redis is down or hangs, having written and sent nothing; the same request then charges once', async () => {
    const key = await givenActiveBillingKey(h);
    const bid = await billingKeyBid(h.db, key.id);
    const idempotencyKey = randomUUID();
    const orderId = `redis-${randomUUID().slice(0, 8)}`;
    const charge = () =>
      h.client.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: chargeRequest(key.id, { orderId, amount: 12_000 }),
      });

    await link.down();
    const refused = await charge();
    for (let i = 0; i < 4; i++) expect((await charge()).response.status).toBe(503);
    expect(refused.response.status).toBe(503);
    expect(refused.response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.error).toMatchObject({ type: '/problems/service_unavailable', status: 503 });
    expect(JSON.stringify(refused.error)).not.toMatch(/127\.0\.0\.1|redis:|6379/);
    const degraded = await ready();
    expect(degraded.status).toBe(200);
    expect(degraded.body.details).toMatchObject({ rateStore: { status: 'degraded', store: 'redis' } });

    // A Redis that accepts the connection and never answers: the command times out, the charge is refused all the same.
    await link.up();
    await eventually(ready, (r) => (r.body.details.rateStore as { status: string }).status === 'up');
    link.freeze();
    const started = Date.now();
    const hung = await charge();
    expect(hung.response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(6_000);

    expect(await paymentRows(h.db, 'order_id = ?', orderId)).toEqual([]);
    expect(await h.gateway.chargesOnBid(bid)).toEqual([]);

    await link.down();
    await link.up();
    await eventually(ready, (r) => (r.body.details.rateStore as { status: string }).status === 'up');
    expect(expectData(await charge(), 201)).toMatchObject({ status: 'APPROVED', orderId, amount: 12_000 });
    expect(await h.gateway.chargesOnBid(bid)).toHaveLength(1);
    // The gateway's own books: the order approved and kept once.
    expect(await h.gateway.ledgerFor(orderId)).toMatchObject({ approved: 12_000, kept: 12_000 });
    expect(await paymentRows(h.db, 'order_id = ?', orderId)).toHaveLength(1);
    // The log has each outage, not each request it refused: a line when it began and one when it ended.
    // Two outages (refused, then hung), six charges refused, each asking Redis once or more.
    const outageLines = logged.lines.filter((line) => line.startsWith("The gateway rate's Redis"));
    const began = outageLines.filter((line) => line.startsWith("The gateway rate's Redis does not answer ("));
    const refusedPerOutage = outageLines
      .map((line) => /answers again: (\d+) requests to the gateway refused/.exec(line)?.[1])
      .filter((count) => count !== undefined)
      .map(Number);
    expect(began).toHaveLength(2);
    expect(refusedPerOutage).toHaveLength(2);
    expect(refusedPerOutage[0]).toBeGreaterThanOrEqual(5);
    expect(refusedPerOutage[1]).toBeGreaterThanOrEqual(1);
    expect(outageLines.length).toBeLessThan(6);
  }, 30_000);
});

describeWithRedis('a scheduled charge while the rate’s Redis is down', () => {
  let link: TcpLink;
  let h: ServiceHarness;

  beforeAll(async () => {
    link = new TcpLink(REDIS_URL);
    await link.up();
    h = await startHarness({
      ...SCHEDULER_DRIVEN_BY_TEST,
      PAYSTORY_RATE_LIMIT_REDIS_URL: link.url,
      PUBLIC_BASE_URL: UNREACHABLE_URL,
      // An unsent charge is the janitor's after a second, and its subscription's claim is free again as soon.
      PAYSTORY_TIMEOUT_MS: '400',
      JANITOR_STALE_AFTER_MS: '1000',
      IDEMPOTENCY_LEASE_MS: '1000',
      SUBSCRIPTION_CLAIM_LEASE_MS: '1000',
    });
  });
  afterAll(async () => {
    await h?.close();
    await link?.down();
  });

  it('is not sent while no slot can be counted, then charges its period once, as the same order', async () => {
    const subscription = await givenSubscription(h, {
      amount: 23_000,
      startAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const orderId = attemptOrderId(subscription.id, 0, 0);

    await link.down();
    await runDue(h, new Date());
    // Its PENDING row is written before the slot is asked for; nothing reached the gateway.
    expect(await paymentRows(h.db, 'order_id = ?', orderId)).toMatchObject([{ status: 'PENDING', amount: 23_000 }]);
    expect(await h.gateway.requestsFor('charge', orderId)).toEqual([]);
    expect(await getSubscription(h, subscription.id)).toMatchObject({ currentPeriod: 0 });

    await link.up();
    await sleep(1_100);
    await eventually(
      async () => {
        await h.service.app.get(PaymentJanitor).runNow();
        await runDue(h, new Date());
        return getSubscription(h, subscription.id);
      },
      (s) => s.currentPeriod === 1,
      20_000,
      250,
    );

    expect(await h.gateway.requestsFor('charge', orderId)).toHaveLength(1);
    expect(await h.gateway.ledgerFor(orderId)).toMatchObject({ approved: 23_000, kept: 23_000 });
    expect(await paymentRows(h.db, 'order_id = ?', orderId)).toMatchObject([{ status: 'APPROVED', amount: 23_000 }]);
  }, 40_000);
});

describe('a Redis that never answered, in a counter of its own', () => {
  it('refuses a slot with a 503 that names no address, and fails its PING', async () => {
    const counter = new RedisWindowCounter(UNREACHABLE_REDIS_URL);
    try {
      const error = (await counter.take('m', WINDOW, 10).catch((e: unknown) => e)) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.errorCode).toBe(ErrorCode.ServiceUnavailable);
      expect(error.detail).not.toMatch(/127\.0\.0\.1|redis:/);
      expect(await counter.ping()).toBe(false);
    } finally {
      await counter.onApplicationShutdown();
    }
  });
});
