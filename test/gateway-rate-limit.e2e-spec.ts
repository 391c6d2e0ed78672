import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { toSeoulStamp } from '@app/paystory';
import { installFaultInjector, type FaultPointName } from '../apps/payments/src/common/faults/fault-points';
import type { ChargeRequest } from '@app/payments-client';
import { expectData, TEST_API_KEY } from './support/api-client';
import { openAuthSession, registerInAuthWindow } from './support/auth-window';
import { billingKeyRequest, chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { billingKeyBid, cancellationRows, paymentRows } from './support/database-reader';
import { startDeployment, type Deployment } from './support/deployment';
import type { ServiceProcess } from './support/service-process';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { usingPostgres } from './support/test-database';
import { REDIS_URL, redisListening } from './support/redis';
import { eventually, sleep } from './support/waiting';
import { UNREACHABLE_URL } from './support/unreachable-url';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { SCHEDULER_DRIVEN_BY_TEST } from './support/subscription-factories';
import { getPayment } from './support/api-reads';
import { PaymentJanitor } from '../apps/payments/src/payment/resolution/payment-janitor';

/** Requests per aligned one-second window of the epoch, by the window's second. */
function perAlignedSecond(receivedAt: string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const at of receivedAt) {
    const second = Math.floor(Date.parse(at) / 1_000);
    counts.set(second, (counts.get(second) ?? 0) + 1);
  }
  return counts;
}

/**
 * Stalls the event loop at `point` for `subject` until 50 ms into the next second, past the deadline
 * of any slot of the current one (as a long GC pause would), having started `meanwhile` first: a
 * request the service serves once the stall ends. Returns when the stall ended (0 before it ran).
 */
function stallPastTheSecond(point: FaultPointName, subject: string, meanwhile: () => void): () => number {
  let stalledUntil = 0;
  installFaultInjector((at, about) => {
    if (at !== point || about !== subject) return 'none';
    meanwhile();
    stalledUntil = (Math.floor(Date.now() / 1_000) + 1) * 1_000 + 50;
    while (Date.now() < stalledUntil) {
      // Busy: nothing else of the process runs meanwhile.
    }
    return 'none';
  });
  return () => stalledUntil;
}

/** Sleeps to just after the next second starts: a slot taken then counts in that second alone. */
function untilEarlyInASecond(): Promise<void> {
  return sleep(1_000 - (Date.now() % 1_000) + 20);
}

/** A typed call's answer: the problem it carries, and the response. */
type Answer = { error?: unknown; response: Response };

function expectGatewayRateLimited(answer: Answer): number {
  expect(answer.response.status).toBe(429);
  expect(answer.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.error).toMatchObject({ type: '/problems/rate_limited', status: 429 });
  const retryAfter = Number(answer.response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  return retryAfter;
}

/** What the sandbox received from `since` (epoch ms) on, at every endpoint that reaches a merchant's gateway. */
async function requestsSince(h: ServiceHarness, since: number) {
  const endpoints = [
    'registerBillingKey',
    'deleteBillingKey',
    'charge',
    'cancel',
    'query',
    'completeAuthIssuance',
  ] as const;
  const all = (await Promise.all(endpoints.map((e) => h.gateway.requests(e)))).flat();
  return all.filter((r) => Date.parse(r.receivedAt) >= since);
}

/** Whether no aligned second holds more than one of `requests`. */
const oneASecond = (requests: { receivedAt: string }[]) =>
  [...perAlignedSecond(requests.map((r) => r.receivedAt)).values()].every((n) => n === 1);

describe('API charges over the merchant gateway rate', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    // One gateway request a second for the merchant; a charge waits up to two seconds for it. The
    // gateway's notifications go nowhere: the query one can lead to takes a slot too, and the tests
    // count the slots of their own requests.
    h = await startHarness({
      PAYSTORY_RATE_LIMIT: '1',
      PAYSTORY_RATE_LIMIT_WAIT_MS: '2000',
      PUBLIC_BASE_URL: UNREACHABLE_URL,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('wait for a slot, one a second; those none comes to in time get 429 with Retry-After and change nothing', async () => {
    const key = await givenActiveBillingKey(h);
    // The key's registration took a slot too, of two seconds when taken late in one: the burst starts after both.
    await sleep(1_000);
    await untilEarlyInASecond();
    const run = randomUUID().slice(0, 8);
    const attempts = Array.from({ length: 5 }, (_, i) => ({
      idempotencyKey: randomUUID(),
      body: chargeRequest(key.id, { orderId: `rate-${run}-${i}`, amount: 10_000 + i }),
    }));

    const charge = (attempt: { idempotencyKey: string; body: ChargeRequest }) =>
      h.client.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': attempt.idempotencyKey } },
        body: attempt.body,
      });

    const answers = await Promise.all(attempts.map(charge));

    // Within 2 s at 1 a second: two or three (by where in its second the burst came), each in a second of its own.
    const approved = answers.filter((a) => a.response.status === 201);
    expect(approved.length).toBeGreaterThanOrEqual(2);
    expect(approved.length).toBeLessThanOrEqual(3);
    const received = (await h.gateway.requests('charge')).filter((r) => r.fields.ordNo.startsWith(`rate-${run}-`));
    expect(received).toHaveLength(approved.length);
    expect([...perAlignedSecond(received.map((r) => r.receivedAt)).values()].every((n) => n === 1)).toBe(true);

    const refused = attempts.filter((_, i) => answers[i].response.status !== 201);
    expect(refused.length).toBe(attempts.length - approved.length);
    for (const [i, attempt] of refused.entries()) {
      expectGatewayRateLimited(answers[attempts.indexOf(attempt)]);
      const orderId = String(attempt.body.orderId);
      expect(await paymentRows(h.db, 'order_id = ?', orderId)).toEqual([]);
      expect(await h.gateway.chargesFor(orderId)).toEqual([]);
      if (i > 0) continue;

      // The same request with the same Idempotency-Key, later: it runs afresh and charges once.
      const retried = await sendUntilNotRateLimited(() => charge(attempt));
      expect(expectData(retried, 201)).toMatchObject({ status: 'APPROVED', orderId });
      const replayed = await charge(attempt);
      expect(replayed.response.status).toBe(201);
      expect(replayed.response.headers.get('idempotent-replayed')).toBe('true');
      expect(await h.gateway.chargesFor(orderId)).toHaveLength(1);
      expect(await paymentRows(h.db, 'order_id = ?', orderId)).toHaveLength(1);
    }
  }, 30_000);

  it('send no charge after its slot ran out (the process stalled in between): it goes under a new slot, once', async () => {
    const key = await givenActiveBillingKey(h);
    const run = randomUUID().slice(0, 8);
    const stalled = {
      idempotencyKey: randomUUID(),
      body: chargeRequest(key.id, { orderId: `stalled-${run}`, amount: 12_000 }),
    };
    const next = {
      idempotencyKey: randomUUID(),
      body: chargeRequest(key.id, { orderId: `next-${run}`, amount: 12_001 }),
    };
    const charge = (attempt: { idempotencyKey: string; body: ChargeRequest }) =>
      h.client.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': attempt.idempotencyKey } },
        body: attempt.body,
      });
    // The API charge holds its slot when its PENDING row is committed; the event loop then stalls past
    // the slot's deadline. Another charge, asked for meanwhile, must not share a second with the first.
    let nextAnswer: Promise<Answer> | undefined;
    const stalledUntil = stallPastTheSecond('charge.after-insert', String(stalled.body.orderId), () => {
      nextAnswer = charge(next);
    });
    try {
      // Early in a second: the stalled charge's slot counts in that second alone (not one late in a
      // second, which counts in the next too and would outlast the stall).
      await untilEarlyInASecond();
      expect(expectData(await charge(stalled), 201)).toMatchObject({ status: 'APPROVED', amount: 12_000 });
      expect(expectData(await nextAnswer!, 201)).toMatchObject({ status: 'APPROVED', amount: 12_001 });
    } finally {
      installFaultInjector(undefined);
    }
    const received = (await h.gateway.requests('charge')).filter((r) => r.fields.ordNo.endsWith(`-${run}`));
    expect(received.map((r) => r.fields.ordNo).sort()).toEqual([`next-${run}`, `stalled-${run}`]);
    // Not sent under its stale slot: each second at the gateway holds one charge, the rate (1/s).
    expect([...perAlignedSecond(received.map((r) => r.receivedAt)).values()]).toEqual([1, 1]);
    expect(Date.parse(received.find((r) => r.fields.ordNo === `stalled-${run}`)!.receivedAt)).toBeGreaterThanOrEqual(
      stalledUntil(),
    );
    expect(await paymentRows(h.db, 'order_id = ?', stalled.body.orderId)).toMatchObject([{ status: 'APPROVED' }]);
    expect(await h.gateway.ledgerFor(`stalled-${run}`)).toMatchObject({ approved: 12_000, kept: 12_000 });
    expect(await h.gateway.ledgerFor(`next-${run}`)).toMatchObject({ approved: 12_001, kept: 12_001 });
    // Counted for operators: one slot ran out unused.
    const metrics = await (
      await fetch(`${h.service.url}/metrics`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } })
    ).text();
    expect(metrics).toMatch(/^paystory_gateway_rate_slots_expired_total\{merchant="[^"]+"\} 1$/m);
  }, 15_000);

  it('send no cancel after its slot ran out either: it goes under a new slot, and refunds once', async () => {
    const key = await givenActiveBillingKey(h);
    const run = randomUUID().slice(0, 8);
    const charged = expectData(
      await h.client.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': randomUUID() } },
        body: chargeRequest(key.id, { orderId: `to-cancel-${run}`, amount: 15_000 }),
      }),
      201,
    );
    const next = {
      idempotencyKey: randomUUID(),
      body: chargeRequest(key.id, { orderId: `after-cancel-${run}`, amount: 15_001 }),
    };
    // The cancel holds its slot when its amount is reserved; the event loop then stalls past the slot's deadline.
    let nextAnswer: Promise<Answer> | undefined;
    const stalledUntil = stallPastTheSecond('cancel.after-reserve', charged.orderId, () => {
      nextAnswer = h.client.POST('/v1/payments', {
        params: { header: { 'Idempotency-Key': next.idempotencyKey } },
        body: next.body,
      });
    });
    try {
      await untilEarlyInASecond();
      const cancelled = await h.client.POST('/v1/payments/{id}/cancel', {
        params: { path: { id: charged.id }, header: { 'Idempotency-Key': randomUUID() } },
        body: { amount: 4_000, reason: 'stalled' },
      });
      expect(expectData(cancelled, 200)).toMatchObject({ cancelledAmount: 4_000 });
      expect(expectData(await nextAnswer!, 201)).toMatchObject({ status: 'APPROVED', amount: 15_001 });
    } finally {
      installFaultInjector(undefined);
    }
    const cancelsSent = await h.gateway.cancelsOf(charged.tid);
    const chargeSent = await h.gateway.chargesFor(`after-cancel-${run}`);
    expect(cancelsSent).toHaveLength(1);
    expect(chargeSent).toHaveLength(1);
    // Sent under a new slot, after the stall, in a second of its own.
    expect(Date.parse(cancelsSent[0].receivedAt)).toBeGreaterThanOrEqual(stalledUntil());
    expect([...perAlignedSecond([cancelsSent[0].receivedAt, chargeSent[0].receivedAt]).values()]).toEqual([1, 1]);
    expect(await h.gateway.ledgerFor(charged.orderId)).toMatchObject({
      approved: 15_000,
      cancelled: 4_000,
      kept: 11_000,
    });
    expect(await cancellationRows(h.db, charged.id)).toMatchObject([{ status: 'SUCCEEDED', amount: 4_000 }]);
  }, 15_000);

  it('treat API cancels alike: 429 with Retry-After, nothing written and nothing refunded, and the retry refunds once', async () => {
    const key = await givenActiveBillingKey(h);
    const run = randomUUID().slice(0, 8);
    const payments = [];
    for (let i = 0; i < 4; i++) {
      const answer = await sendUntilNotRateLimited(() =>
        h.client.POST('/v1/payments', {
          params: { header: { 'Idempotency-Key': randomUUID() } },
          body: chargeRequest(key.id, { orderId: `rate-cancel-${run}-${i}`, amount: 20_000 }),
        }),
      );
      payments.push(expectData(answer, 201));
    }
    await sleep(1_100); // the charges' slots behind us: the cancels race for fresh seconds
    const cancels = payments.map((payment) => ({ payment, idempotencyKey: randomUUID() }));
    const cancel = ({ payment, idempotencyKey }: (typeof cancels)[number]) =>
      h.client.POST('/v1/payments/{id}/cancel', {
        params: { path: { id: payment.id }, header: { 'Idempotency-Key': idempotencyKey } },
        body: { reason: '환불', amount: 5_000 },
      });

    const answers = await Promise.all(cancels.map(cancel));

    const done = answers.filter((a) => a.response.status === 200);
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.length).toBeLessThanOrEqual(3);
    for (const [i, { payment }] of cancels.entries()) {
      const atGateway = await h.gateway.cancelsOf(payment.tid);
      const stored = await cancellationRows(h.db, payment.id);
      if (answers[i].response.status === 200) {
        expect([atGateway.length, stored.map((c) => [c.amount, c.status])]).toEqual([1, [[5_000, 'SUCCEEDED']]]);
        continue;
      }
      expectGatewayRateLimited(answers[i]);
      expect([atGateway, stored]).toEqual([[], []]);
      expect(await h.gateway.ledgerFor(payment.orderId)).toMatchObject({
        approved: 20_000,
        cancelled: 0,
        kept: 20_000,
      });
    }

    // A refused cancel sent again with its key, after Retry-After: refunded once, then replayed.
    const refused = cancels.find((_, i) => answers[i].response.status !== 200)!;
    const retried = await sendUntilNotRateLimited(() => cancel(refused));
    expect(expectData(retried, 200)).toMatchObject({ cancelledAmount: 5_000, cancellableAmount: 15_000 });
    expect((await cancel(refused)).response.headers.get('idempotent-replayed')).toBe('true');
    expect(await h.gateway.cancelsOf(refused.payment.tid)).toHaveLength(1);
    expect(await h.gateway.ledgerFor(refused.payment.orderId)).toMatchObject({ cancelled: 5_000, kept: 15_000 });
  }, 40_000);

  it('count every request to the merchant, billing keys too: registrations and a deletion wait for a slot or get 429, changing nothing', async () => {
    const doomed = await givenActiveBillingKey(h);
    const doomedBid = await billingKeyBid(h.db, doomed.id);
    const start = Date.now();
    const registrations = Array.from({ length: 3 }, () => billingKeyRequest());
    const register = (body: (typeof registrations)[number]) => h.client.POST('/v1/billing-keys', { body });
    const deleteDoomed = () => h.client.DELETE('/v1/billing-keys/{id}', { params: { path: { id: doomed.id } } });

    const [deletion, ...registered] = await Promise.all([deleteDoomed(), ...registrations.map(register)]);

    // Every request the merchant's gateway received from then on, whatever its endpoint: one a second.
    const received = await requestsSince(h, start);
    expect(oneASecond(received)).toBe(true);
    const answered = [deletion, ...registered].filter((a) => a.response.status < 400);
    expect(answered.length).toBeGreaterThanOrEqual(2);
    expect(answered.length).toBeLessThanOrEqual(3);
    expect(received).toHaveLength(answered.length);

    // A registration refused 429 registered nothing, at the gateway or here.
    const issued = registered.filter((a) => a.response.status === 201).length;
    expect(received.filter((r) => r.endpoint === 'registerBillingKey')).toHaveLength(issued);
    for (const [i, body] of registrations.entries()) {
      const stored = await h.db.query('SELECT id FROM billing_keys WHERE customer_id = ?', body.customerId);
      if (registered[i].response.status === 201) expect(stored).toHaveLength(1);
      else expect([expectGatewayRateLimited(registered[i]), stored]).toEqual([expect.any(Number), []]);
    }

    // A deletion refused 429 left the key as it was; sent again after Retry-After, it deletes once.
    const deletionsOfDoomed = async () =>
      (await h.gateway.requests('deleteBillingKey')).filter((r) => r.fields.bid === doomedBid);
    if (deletion.response.status === 429) {
      expectGatewayRateLimited(deletion);
      expect(await deletionsOfDoomed()).toEqual([]);
      expect(
        expectData(await h.client.GET('/v1/billing-keys/{id}', { params: { path: { id: doomed.id } } }), 200),
      ).toMatchObject({ status: 'ACTIVE' });
      expect(expectData(await sendUntilNotRateLimited(deleteDoomed), 200)).toMatchObject({ status: 'DELETED' });
    } else {
      expect(expectData(deletion, 200)).toMatchObject({ status: 'DELETED' });
    }
    expect(await deletionsOfDoomed()).toHaveLength(1);
  }, 30_000);

  it('give back the slot of a charge that sends nothing (its orderId is taken): the next charge has it in the same second', async () => {
    const key = await givenActiveBillingKey(h);
    const orderId = `taken-${randomUUID().slice(0, 8)}`;
    expectData(await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { orderId, amount: 11_000 }) }), 201);
    await untilEarlyInASecond();
    const second = Math.floor(Date.now() / 1_000);

    // The same orderId again, without the first one's Idempotency-Key: refused (409) after taking this second's one slot.
    const twin = await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { orderId, amount: 11_000 }) });
    const next = await h.client.POST('/v1/payments', {
      body: chargeRequest(key.id, { orderId: `${orderId}-next`, amount: 12_000 }),
    });

    expect(twin.response.status).toBe(409);
    expect(await h.gateway.chargesFor(orderId)).toHaveLength(1);
    expect(expectData(next, 201).status).toBe('APPROVED');
    const [sent] = await h.gateway
      .requests('charge')
      .then((all) => all.filter((r) => r.fields.ordNo === `${orderId}-next`));
    expect(Math.floor(Date.parse(sent.receivedAt) / 1_000)).toBe(second);
  }, 30_000);

  it("spend no slot on a charge whose key is refused (404, 409): the next charge has the second's one slot", async () => {
    const key = await givenActiveBillingKey(h);
    const deleted = await givenActiveBillingKey(h);
    expectData(await h.client.DELETE('/v1/billing-keys/{id}', { params: { path: { id: deleted.id } } }), 200);
    await untilEarlyInASecond();
    const second = Math.floor(Date.now() / 1_000);
    const orderId = `after-refusals-${randomUUID().slice(0, 8)}`;

    const unknown = await h.client.POST('/v1/payments', { body: chargeRequest('bk_unknown', { amount: 13_000 }) });
    const gone = await h.client.POST('/v1/payments', { body: chargeRequest(deleted.id, { amount: 13_000 }) });
    const next = await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { orderId, amount: 13_000 }) });

    expect([unknown.response.status, gone.response.status]).toEqual([404, 409]);
    expect(expectData(next, 201).status).toBe('APPROVED');
    const [sent] = await h.gateway.requests('charge').then((all) => all.filter((r) => r.fields.ordNo === orderId));
    expect(Math.floor(Date.parse(sent.receivedAt) / 1_000)).toBe(second);
  }, 30_000);

  it('replay a charge while the rate is used up: its retry reaches its key after waiting for a slot, and is never 429', async () => {
    const key = await givenActiveBillingKey(h);
    const idempotencyKey = randomUUID();
    const body = chargeRequest(key.id, { orderId: `replayed-${randomUUID().slice(0, 8)}`, amount: 13_000 });
    const charge = () =>
      h.client.POST('/v1/payments', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body });
    const first = expectData(await charge(), 201);
    // Five charges of their own hold every slot of the next two seconds and more: the retry's wait ends without one.
    const burst = Array.from({ length: 5 }, (_, i) =>
      h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 14_000 + i }) }),
    );
    await sleep(100);

    const retry = await charge();

    expect(retry.response.status).toBe(201);
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    expect(expectData(retry, 201)).toEqual(first);
    expect(await h.gateway.chargesFor(first.orderId)).toHaveLength(1);
    expect(await h.gateway.ledgerFor(first.orderId)).toMatchObject({ approved: 13_000, kept: 13_000 });
    const burstAnswers = await Promise.all(burst);
    expect(burstAnswers.filter((a) => a.response.status === 429).length).toBeGreaterThan(0);
  }, 30_000);

  /** Sends again after each 429's Retry-After, as a client would. */
  async function sendUntilNotRateLimited<A extends Answer>(send: () => Promise<A>): Promise<A> {
    for (let tries = 1; ; tries++) {
      const answer = await send();
      if (answer.response.status !== 429 || tries === 5) return answer;
      await sleep(Number(answer.response.headers.get('retry-after')) * 1_000);
    }
  }
});

/**
 * The completion of a registration a person finished in the auth window (§4.3, which for a phone
 * also charges) takes a slot of the merchant's rate like every request, but waits for it however
 * long: the session is claimed, and the window's answer ages. Here with the gateway's notifications
 * delivered, so that their confirming queries share the rate too.
 */
describe('auth-window completions under the merchant gateway rate', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ PAYSTORY_RATE_LIMIT: '1', PAYSTORY_RATE_LIMIT_WAIT_MS: '2000' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('wait for their slots past the API wait: a person who finished the window is never refused', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 4 }, () =>
        openAuthSession(h, { customerId: `cus_window_${randomUUID().slice(0, 8)}`, payMethod: 'PHONE', amount: 9_900 }),
      ),
    );
    const start = Date.now();

    const pages = await Promise.all(sessions.map((session) => registerInAuthWindow(session)));

    expect(pages.map((page) => /data-status="(\w+)"/.exec(page)?.[1])).toEqual(Array(4).fill('success'));
    const received = await requestsSince(h, start);
    expect(received.filter((r) => r.endpoint === 'completeAuthIssuance')).toHaveLength(4);
    expect(oneASecond(received)).toBe(true);
    // Four slots at one a second: the last waited longer than PAYSTORY_RATE_LIMIT_WAIT_MS (2 s), where an API request gets 429.
    expect(Date.now() - start).toBeGreaterThan(2_000);
    for (const session of sessions) {
      const completed = expectData(
        await h.client.GET('/v1/billing-keys/auth-sessions/{id}', { params: { path: { id: session.id } } }),
        200,
      );
      expect(completed).toMatchObject({ status: 'COMPLETED', billingKeyId: expect.any(String) });
    }
  }, 30_000);

  it("charge a key of the tenant's other merchant (phone) under that merchant's slot, leaving the card merchant's to a card charge", async () => {
    const session = await openAuthSession(h, {
      customerId: `cus_phone_${randomUUID().slice(0, 8)}`,
      payMethod: 'PHONE',
      amount: 9_900,
    });
    expect(/data-status="(\w+)"/.exec(await registerInAuthWindow(session))?.[1]).toBe('success');
    const { billingKeyId } = expectData(
      await h.client.GET('/v1/billing-keys/auth-sessions/{id}', { params: { path: { id: session.id } } }),
      200,
    );
    const cardKey = await givenActiveBillingKey(h);
    await untilEarlyInASecond();
    const second = Math.floor(Date.now() / 1_000);
    const phoneOrder = `phone-${randomUUID().slice(0, 8)}`;
    const cardOrder = `card-${randomUUID().slice(0, 8)}`;

    const phone = await h.client.POST('/v1/payments', {
      body: chargeRequest(String(billingKeyId), { orderId: phoneOrder, amount: 9_900 }),
    });
    const card = await h.client.POST('/v1/payments', {
      body: chargeRequest(cardKey.id, { orderId: cardOrder, amount: 14_000 }),
    });

    expect(expectData(phone, 201).status).toBe('APPROVED');
    expect(expectData(card, 201).status).toBe('APPROVED');
    // Each merchant's one slot of this second went to its own charge.
    const sent = (await h.gateway.requests('charge')).filter((r) => [phoneOrder, cardOrder].includes(r.fields.ordNo));
    expect(sent.map((r) => [r.fields.mid, Math.floor(Date.parse(r.receivedAt) / 1_000)])).toEqual([
      [SANDBOX_MERCHANTS.phone.mid, second],
      [SANDBOX_MERCHANTS.card.mid, second],
    ]);
  }, 30_000);
});

/**
 * A late approval's automatic cancel takes a slot of the merchant's rate like any cancel: a charge
 * whose answer is lost, sent again and declined, then found approved late by the resolver, which
 * cancels it at once. At R = 1 every request of that story lands in a second of its own.
 */
describe("a late approval's automatic cancel under the merchant gateway rate", () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({
      PAYSTORY_RATE_LIMIT: '1',
      PAYSTORY_TIMEOUT_MS: '400',
      JANITOR_STALE_AFTER_MS: '600',
      JANITOR_BACKOFF_MS: '0',
      JANITOR_CANCEL_RELEASE_AFTER_MS: '60000',
      // No notification brings the late approval in: the resolver's own query finds it.
      PUBLIC_BASE_URL: UNREACHABLE_URL,
      ...SCHEDULER_DRIVEN_BY_TEST,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is sent in a second of its own and refunds the late approval once', async () => {
    const key = await givenActiveBillingKey(h);
    const orderId = `late-${key.id}`;
    const start = Date.now();
    // The first request is processed 1.5 s late, its answer lost; the resend is declined (3002).
    await h.gateway.fault('charge', 'late-processing', { ordNo: orderId, delayMs: 1_500 });
    const charged = expectData(
      await h.client.POST('/v1/payments', { body: chargeRequest(key.id, { amount: 6_000, orderId }) }),
      202,
    );
    await h.gateway.fault('charge', 'decline', { ordNo: orderId, code: '3002' });
    await sleep(600);

    const janitor = h.service.app.get(PaymentJanitor);
    const undone = await eventually(
      async () => {
        await janitor.runNow();
        return getPayment(h, charged.id);
      },
      (p) => p.status === 'CANCELLED',
      30_000,
      200,
    );

    expect(undone).toMatchObject({ status: 'CANCELLED', amount: 6_000, cancelledAmount: 6_000 });
    expect(await h.gateway.ledgerFor(orderId)).toMatchObject({ approved: 6_000, cancelled: 6_000, kept: 0 });
    expect(await h.gateway.cancelsOf(undone.tid)).toHaveLength(1);
    const received = await requestsSince(h, start);
    expect(received.map((r) => r.endpoint)).toEqual(expect.arrayContaining(['charge', 'query', 'cancel']));
    expect(oneASecond(received)).toBe(true);
  }, 45_000);
});

/**
 * Production shape: three instances share one PostgreSQL, so one rate for the merchant. Runs in the
 * PostgreSQL pass of `npm test` (TEST_DATABASE_URL); several instances on SQLite are not a supported deployment.
 */
const describeOnPostgres = usingPostgres() ? describe : describe.skip;
if (!usingPostgres())
  console.warn('Skipping the shared gateway rate test: it runs in the PostgreSQL pass (TEST_DATABASE_URL)');

const RATE = 20;
/** About six seconds of work at the rate. */
const SUBSCRIPTIONS = 120;

/** Where the instances count: PostgreSQL by default, and Redis when the machine has one (PAYSTORY_RATE_LIMIT_REDIS_URL). */
const FLEET_STORES: { store: string; env: Record<string, string> }[] = [
  { store: 'PostgreSQL', env: {} },
  ...(redisListening() ? [{ store: 'Redis', env: { PAYSTORY_RATE_LIMIT_REDIS_URL: REDIS_URL } }] : []),
];

describeOnPostgres.each(FLEET_STORES)(
  'one gateway rate per merchant, shared by three instances, counted in $store',
  ({ store, env }) => {
    let deployment: Deployment;
    let instances: ServiceProcess[] = [];

    beforeAll(async () => {
      deployment = await startDeployment();
      instances = await Promise.all(
        [1, 2, 3].map(() =>
          deployment.startInstance({
            ...env,
            PAYSTORY_RATE_LIMIT: String(RATE),
            JANITOR_ENABLED: 'false',
            RECONCILIATION_ENABLED: 'false',
            SUBSCRIPTION_SCHEDULER_ENABLED: 'true',
            SUBSCRIPTION_INTERVAL_MS: '100',
            SUBSCRIPTION_BATCH_SIZE: '20',
            SUBSCRIPTION_CONCURRENCY: '16',
            // The scheduler's own pace out of the way: only the shared rate holds it back.
            SUBSCRIPTION_RATE_LIMIT: '10000',
          }),
        ),
      );
    }, 90_000);

    afterAll(async () => {
      await deployment?.close();
    });

    it(`sends the gateway at most ${RATE} charges in every aligned second, every subscription charged once`, async () => {
      // One charge each first, on another key: a cold process's first charge is slow to leave, and would spill into the next second.
      const warmUp = await givenActiveBillingKey(instances[0]);
      for (const instance of instances)
        expectData(await instance.client.POST('/v1/payments', { body: chargeRequest(warmUp.id) }), 201);
      const key = await givenActiveBillingKey(instances[0]);
      await seedDueSubscriptions(deployment.database.url, key.id, SUBSCRIPTIONS);

      await eventually(
        async () =>
          (
            await deployment.db.query<{ n: number }>(
              "SELECT COUNT(*) AS n FROM subscriptions WHERE id LIKE 'sub_rate_%' AND period_index = 1",
            )
          )[0].n,
        (n) => n === SUBSCRIPTIONS,
        60_000,
        250,
      );

      const bid = await billingKeyBid(deployment.db, key.id);
      const charges = await deployment.gateway.chargesOnBid(bid);
      // Every subscription charged once, as the gateway's own books tell.
      expect(charges).toHaveLength(SUBSCRIPTIONS);
      const approvedOrders = (await deployment.gateway.ledger()).orders.filter((o) => o.bid === bid);
      expect(approvedOrders).toHaveLength(SUBSCRIPTIONS);
      expect(new Set(approvedOrders.map((o) => o.ordNo)).size).toBe(SUBSCRIPTIONS);

      const counts = perAlignedSecond(charges.map((r) => r.receivedAt));
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(RATE);
      // Spread over several windows, so the limit was really in play (throughput against R is measured by bench:ratios, not here).
      expect(counts.size).toBeGreaterThanOrEqual(Math.ceil(SUBSCRIPTIONS / RATE));
      // Counted where configured, and only there.
      const [{ n: windowRows }] = await deployment.db.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM gateway_rate_windows',
      );
      if (store === 'Redis') expect(windowRows).toBe(0);
      else expect(windowRows).toBeGreaterThan(0);
    }, 120_000);
  },
);

/** Due subscriptions written straight into the shared database, as a large existing book would be. */
async function seedDueSubscriptions(url: string, billingKeyId: string, count: number): Promise<void> {
  const startAt = new Date(Date.now() - 3_600_000);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO subscriptions (id, customer_id, billing_key_id, amount, goods_name, interval, anchor_day, start_at, status, period_index, attempt, next_charge_at, version)
       SELECT 'sub_rate_' || lpad(g::text, 5, '0'), (SELECT customer_id FROM billing_keys WHERE id = $1), $1, 9900, '월 구독', 'monthly', $2, $3, 'ACTIVE', 0, 0, $3, 1
       FROM generate_series(1, ${count}) g`,
      [billingKeyId, Number(toSeoulStamp(startAt).slice(6, 8)), startAt],
    );
  } finally {
    await client.end();
  }
}
