import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CancelRequest, ChargeRequest, components } from '@app/payments-client';
import type { ProblemBody } from './support/api-bodies';
import { expectData, expectPaymentProblem, expectProblem, expectStatus, type ApiResponse } from './support/api-client';
import { getPayment } from './support/api-reads';
import { chargeRequest, givenActiveBillingKey } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';
import { chargeRequestsOnKey, chargesOf, givenSubscription, runDue } from './support/subscription-factories';

/** A payment's split as the API shows it (docs/payments.md "VAT amounts"). */
type VatParts = components['schemas']['VatPartsResponse'];

const parts = (supplyAmount: number, vatAmount: number, serviceAmount = 0, taxFreeAmount = 0): VatParts => ({
  supplyAmount,
  vatAmount,
  serviceAmount,
  taxFreeAmount,
});
const ZERO = parts(0, 0);
const orderId = (label: string) => `vat-${label}-${randomUUID().slice(0, 8)}`;

async function charge(h: ServiceHarness, body: Partial<ChargeRequest>) {
  const key = await givenActiveBillingKey(h);
  return h.client.POST('/v1/payments', { body: chargeRequest(key.id, body) });
}

function cancel(h: ServiceHarness, id: string, body: Partial<CancelRequest>) {
  return h.client.POST('/v1/payments/{id}/cancel', { params: { path: { id } }, body: { reason: '환불', ...body } });
}

/** A charge the service must refuse as invalid (400), sent as is. */
async function chargeInvalid(h: ServiceHarness, body: Record<string, unknown>): Promise<ApiResponse<ProblemBody>> {
  const key = await givenActiveBillingKey(h);
  return h.api<ProblemBody>('POST', '/v1/payments', chargeRequest(key.id, body));
}

/** A cancel the service must refuse as invalid (400), sent as is. */
function cancelInvalid(
  h: ServiceHarness,
  id: string,
  body: Record<string, unknown>,
): Promise<ApiResponse<ProblemBody>> {
  return h.api<ProblemBody>('POST', `/v1/payments/${id}/cancel`, { reason: '환불', ...body });
}

function fieldsOf(problem: Pick<ProblemBody, 'errors'>): string[] {
  return (problem.errors ?? []).map((e) => e.field);
}

/** What the sandbox gateway holds of one order. */
async function ledgerOf(h: ServiceHarness, ordNo: string) {
  return (await h.gateway.ledger()).orders.filter((o) => o.ordNo === ordNo);
}

const sum = (p: VatParts) => p.supplyAmount + p.vatAmount + p.serviceAmount + p.taxFreeAmount;

/** Charges every period of `subscription` due by `at` (the scheduler's pass), and returns the payments of its periods so far. */
async function chargeDuePeriods(h: ServiceHarness, subscription: { id: string }, at: Date) {
  await runDue(h, at);
  const charges = await chargesOf(h, subscription.id);
  return Promise.all(charges.map((c) => getPayment(h, String(c.paymentId))));
}

describe('VAT amounts, merchant VAT mode "amounts" (service and gateway alike)', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ PAYSTORY_VAT_MODE: 'amounts' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('charges with the split: recorded, shown, and sent with the tax-free part inside goodsSplAmt', async () => {
    const id = orderId('charge');
    const payment = expectData(await charge(h, { orderId: id, amount: 11_000, ...parts(9_000, 900, 500, 600) }), 201);

    expect(payment).toMatchObject({ status: 'APPROVED', amount: 11_000 });
    expect(payment.vatAmounts).toEqual({
      ...parts(9_000, 900, 500, 600),
      cancelled: ZERO,
      remaining: parts(9_000, 900, 500, 600),
    });
    const [sent] = await h.gateway.chargesFor(id);
    expect(sent.fields).toMatchObject({ goodsAmt: '11000', goodsSplAmt: '9600', goodsVat: '900', goodsSvsAmt: '500' });
    const [order] = await ledgerOf(h, id);
    expect(order.vat.approved).toEqual({ supply: 9_600, vat: 900, service: 500 });

    const receipt = expectData(
      await h.client.GET('/v1/payments/{id}/receipt', { params: { path: { id: payment.id } } }),
      200,
    );
    expect(receipt.vatAmounts).toMatchObject(parts(9_000, 900, 500, 600));
  });

  it('refuses a charge without the split, naming supplyAmount and vatAmount, and sends nothing', async () => {
    const id = orderId('missing');
    const response = await chargeInvalid(h, { orderId: id, amount: 11_000 });

    expectStatus(response, 400);
    expect(fieldsOf(response.body)).toEqual(['supplyAmount', 'vatAmount']);
    expect(await h.gateway.chargesFor(id)).toEqual([]);
  });

  it.each([
    ['parts that do not add up', 'supplyAmount', parts(10_000, 900)],
    ['a negative part', 'vatAmount', parts(12_000, -1_000)],
    ['a part that is not whole', 'serviceAmount', { ...parts(9_999, 1_000), serviceAmount: 0.5, taxFreeAmount: 0.5 }],
    ['a part given without supplyAmount', 'supplyAmount', { vatAmount: 1_000 }],
  ])('refuses %s with a 400 naming %s, and sends nothing', async (_what, field, split) => {
    const id = orderId('bad');
    const response = await chargeInvalid(h, { orderId: id, amount: 11_000, ...split });

    expectStatus(response, 400);
    expect(fieldsOf(response.body)).toContain(field);
    expect(await h.gateway.chargesFor(id)).toEqual([]);
  });

  it('computes each partial cancel share in proportion; the last takes exactly what is left', async () => {
    const payment = expectData(await charge(h, { amount: 10_000, ...parts(9_091, 909) }), 201);

    const first = expectData(await cancel(h, payment.id, { amount: 3_333 }), 200);
    expect(first.cancellations?.[0].vatAmounts).toEqual(parts(3_030, 303));
    expect(first.vatAmounts?.remaining).toEqual(parts(6_061, 606));
    expectData(await cancel(h, payment.id, { amount: 3_333 }), 200);
    const rest = expectData(await cancel(h, payment.id, {}), 200);

    const shares = (rest.cancellations ?? []).map((c) => c.vatAmounts as VatParts);
    expect(shares.map(sum)).toEqual([3_333, 3_333, 3_334]);
    expect(shares.reduce((a, b) => a + b.vatAmount, 0)).toBe(909);
    expect(shares.reduce((a, b) => a + b.supplyAmount, 0)).toBe(9_091);
    expect(rest).toMatchObject({ status: 'CANCELLED', cancellableAmount: 0 });
    expect(rest.vatAmounts).toEqual({ ...parts(9_091, 909), cancelled: parts(9_091, 909), remaining: ZERO });

    const sent = await h.gateway.cancelsOf(payment.tid);
    expect(sent.map((r) => [r.fields.canAmt, r.fields.goodsSplAmt, r.fields.goodsVat, r.fields.goodsSvsAmt])).toEqual(
      shares.map((s) => [String(sum(s)), String(s.supplyAmount), String(s.vatAmount), '0']),
    );
    const [order] = await ledgerOf(h, payment.orderId);
    expect(order).toMatchObject({ kept: 0, vat: { kept: { supply: 0, vat: 0, service: 0 } } });
  });

  it("takes a cancel's own share, refusing one that does not add up (400) or takes more than is left of a part (422)", async () => {
    const payment = expectData(await charge(h, { amount: 22_000, ...parts(18_000, 1_800, 200, 2_000) }), 201);

    const wrongSum = await cancelInvalid(h, payment.id, { amount: 5_000, ...parts(4_000, 400) });
    expectStatus(wrongSum, 400);
    expect(fieldsOf(wrongSum.body)).toEqual(['supplyAmount']);
    const tooMuchVat = expectProblem(await cancel(h, payment.id, { amount: 5_000, ...parts(3_000, 2_000) }), 422);
    expect(tooMuchVat).toMatchObject({ code: '2032' });
    expect(fieldsOf(tooMuchVat)).toEqual(['vatAmount']);
    expect(await h.gateway.cancelsOf(payment.tid)).toEqual([]);

    const own = expectData(await cancel(h, payment.id, { amount: 2_000, ...parts(0, 0, 0, 2_000) }), 200);
    expect(own.vatAmounts?.remaining).toEqual(parts(18_000, 1_800, 200, 0));
    const [sent] = await h.gateway.cancelsOf(payment.tid);
    expect(sent.fields).toMatchObject({ canAmt: '2000', goodsSplAmt: '2000', goodsVat: '0', goodsSvsAmt: '0' });

    // The rest: the remaining parts exactly, whatever amount of rounding came before.
    const rest = expectData(await cancel(h, payment.id, {}), 200);
    expect(rest.vatAmounts?.cancelled).toEqual(parts(18_000, 1_800, 200, 2_000));
    expect((await getPayment(h, payment.id)).status).toBe('CANCELLED');
  });
});

describe('VAT amounts on subscriptions, merchant VAT mode "amounts"', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({ PAYSTORY_VAT_MODE: 'amounts' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("charges every period with the subscription's split, a tax-free part inside goodsSplAmt, and cancels a share of it", async () => {
    // A newspaper with a taxable supplement: half of it tax-free (면세).
    const split = parts(5_000, 500, 0, 5_500);
    const subscription = await givenSubscription(h, { amount: 11_000, ...split });
    expect(subscription.vatAmounts).toEqual(split);

    await chargeDuePeriods(h, subscription, new Date());
    const next = expectData(
      await h.client.GET('/v1/subscriptions/{id}', { params: { path: { id: subscription.id } } }),
      200,
    );
    const payments = await chargeDuePeriods(h, subscription, new Date(String(next.nextChargeAt)));

    expect(payments.map((p) => [p.status, p.amount, p.vatAmounts?.remaining])).toEqual([
      ['APPROVED', 11_000, split],
      ['APPROVED', 11_000, split],
    ]);
    const sent = await chargeRequestsOnKey(h, subscription.billingKeyId);
    expect(sent.map((r) => [r.fields.goodsAmt, r.fields.goodsSplAmt, r.fields.goodsVat, r.fields.goodsSvsAmt])).toEqual(
      [
        ['11000', '10500', '500', '0'],
        ['11000', '10500', '500', '0'],
      ],
    );
    for (const payment of payments)
      expect((await ledgerOf(h, payment.orderId))[0].vat.approved).toEqual({ supply: 10_500, vat: 500, service: 0 });

    const refunded = expectData(await cancel(h, payments[0].id, { amount: 5_500 }), 200);
    expect(refunded.cancellations?.[0].vatAmounts).toEqual(parts(2_500, 250, 0, 2_750));
    const [cancelSent] = await h.gateway.cancelsOf(payments[0].tid);
    expect(cancelSent.fields).toMatchObject({ canAmt: '5500', goodsSplAmt: '5250', goodsVat: '250' });
  });

  it('charges a subscription that gave no split as all taxable, as the merchant must send one', async () => {
    const subscription = await givenSubscription(h, { amount: 9_900 });
    expect(subscription.vatAmounts).toBeNull();

    const [payment] = await chargeDuePeriods(h, subscription, new Date());

    expect(payment.vatAmounts?.remaining).toEqual(parts(9_000, 900));
    const [sent] = await chargeRequestsOnKey(h, subscription.billingKeyId);
    expect(sent.fields).toMatchObject({ goodsSplAmt: '9000', goodsVat: '900', goodsSvsAmt: '0' });
  });

  it('refuses a subscription whose split does not add up, naming supplyAmount, and creates nothing', async () => {
    const key = await givenActiveBillingKey(h);
    const refused = await h.api<ProblemBody>('POST', '/v1/subscriptions', {
      customerId: key.customerId,
      billingKeyId: key.id,
      amount: 11_000,
      goodsName: '월간 구독',
      interval: 'monthly',
      ...parts(10_000, 900),
    });

    expectStatus(refused, 400);
    expect(fieldsOf(refused.body)).toEqual(['supplyAmount']);
    const listed = expectData(
      await h.client.GET('/v1/subscriptions', { params: { query: { customerId: key.customerId } } }),
      200,
    );
    expect(listed.data).toEqual([]);
  });
});

describe('VAT amounts, merchant VAT mode "gateway" (the default)', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('charges without a split, sends none and leaves the split to the gateway', async () => {
    const id = orderId('gw');
    const payment = expectData(await charge(h, { orderId: id, amount: 1_004 }), 201);

    expect(payment.vatAmounts).toBeNull();
    const [sent] = await h.gateway.chargesFor(id);
    expect(sent.fields).not.toHaveProperty('goodsSplAmt');
    expect((await ledgerOf(h, id))[0].vat.approved).toEqual({ supply: 913, vat: 91, service: 0 });

    const cancelled = expectData(await cancel(h, payment.id, { amount: 500 }), 200);
    expect(cancelled.cancellations?.[0].vatAmounts).toBeNull();
    expect((await h.gateway.cancelsOf(payment.tid))[0].fields).not.toHaveProperty('goodsSplAmt');
  });

  it('charges a subscription without a split with none, and one with a split with it', async () => {
    const plain = await givenSubscription(h, { amount: 1_004 });
    const split = await givenSubscription(h, { amount: 1_004, ...parts(0, 0, 0, 1_004) });

    const [plainPayment] = await chargeDuePeriods(h, plain, new Date());
    const [splitPayment] = await chargeDuePeriods(h, split, new Date());

    expect([plain.vatAmounts, plainPayment.vatAmounts]).toEqual([null, null]);
    expect((await chargeRequestsOnKey(h, plain.billingKeyId))[0].fields).not.toHaveProperty('goodsSplAmt');
    expect(splitPayment.vatAmounts?.remaining).toEqual(parts(0, 0, 0, 1_004));
    expect((await chargeRequestsOnKey(h, split.billingKeyId))[0].fields).toMatchObject({
      goodsSplAmt: '1004',
      goodsVat: '0',
    });
  });

  it('sends a split that is given, and still refuses one that does not add up', async () => {
    const id = orderId('gw-given');
    expectData(await charge(h, { orderId: id, amount: 5_000, ...parts(5_000, 0) }), 201);
    expect((await h.gateway.chargesFor(id))[0].fields).toMatchObject({
      goodsSplAmt: '5000',
      goodsVat: '0',
      goodsSvsAmt: '0',
    });

    const bad = await chargeInvalid(h, { amount: 5_000, ...parts(4_000, 400) });
    expectStatus(bad, 400);
    expect(fieldsOf(bad.body)).toEqual(['supplyAmount']);
  });
});

describe('VAT amounts, a gateway set to "amounts" that the service is not told of', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness({}, { sandbox: { vatMode: 'amounts' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("reports the gateway's refusal of a charge without the split as a 422 decline with its code", async () => {
    const id = orderId('refused');
    const problem = expectPaymentProblem(await charge(h, { orderId: id, amount: 11_000 }), 422);

    expect(problem).toMatchObject({ code: '9998' });
    expect(problem.payment).toMatchObject({ status: 'DECLINED', failure: { code: '9998' } });
    expect((await h.gateway.chargesFor(id))[0].resultMsg).toContain('goodsSplAmt');
    expect(await ledgerOf(h, id)).toEqual([]);
  });
});
