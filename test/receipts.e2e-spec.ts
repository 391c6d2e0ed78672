import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import type { Payment } from '@app/payments-client';
import type { ProblemBody } from './support/api-bodies';
import { expectData } from './support/api-client';
import { givenApprovedPayment, givenDeclinedPayment } from './support/billing-fixtures';
import { startHarness, type ServiceHarness } from './support/service-harness';

/** The text of the element with this id on the sandbox's receipt page. */
function field(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
}

/** Each row of the page's cancellations table: tid, amount, date. */
function cancellationRows(html: string): string[][] {
  return [...html.matchAll(/<tr class="cancellation">(.*?)<\/tr>/g)].map((row) =>
    [...row[1].matchAll(/<td>([^<]*)<\/td>/g)].map((cell) => cell[1]),
  );
}

async function open(url: string): Promise<{ status: number; contentType: string; html: string }> {
  const response = await fetch(url);
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    html: await response.text(),
  };
}

describe('GET /v1/payments/{id}/receipt', () => {
  let h: ServiceHarness;

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h?.close();
  });

  function receipt(paymentId: string, query: { receiptType?: 'general' | 'cash'; lang?: 'ko' | 'en' } = {}) {
    return h.client.GET('/v1/payments/{id}/receipt', { params: { path: { id: paymentId }, query } });
  }

  async function cancel(payment: Payment, amount?: number): Promise<Payment> {
    const body = { reason: '환불', amount };
    return expectData(
      await h.client.POST('/v1/payments/{id}/cancel', { params: { path: { id: payment.id } }, body }),
      200,
    );
  }

  it("gives a signed link to the gateway's receipt page, which shows the payment and each of its cancellations", async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    const cancelled = await cancel(payment, 3_000);
    const cancelledAgain = await cancel(payment, 2_000);
    const cancelTids = [cancelled, cancelledAgain].map((p) => p.cancellations?.at(-1)?.tid);

    const answer = expectData(await receipt(payment.id), 200);

    const url = new URL(answer.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${h.gatewayUrl}/receiptSearch.html`);
    expect(Object.fromEntries(url.searchParams)).toEqual(answer.form);
    expect(answer.form).toEqual({
      mid: SANDBOX_MERCHANTS.card.mid,
      tid: payment.tid,
      receiptType: 'general',
      encData: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(answer)).not.toContain(SANDBOX_MERCHANTS.card.merchantKey);

    const page = await open(answer.url);
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(field(page.html, 'tid')).toBe(payment.tid);
    expect(field(page.html, 'ordNo')).toBe(payment.orderId);
    expect(field(page.html, 'amount')).toBe('10,000원');
    expect(field(page.html, 'remaining')).toBe('5,000원');
    expect(field(page.html, 'status')).toBe('부분취소');
    expect(cancellationRows(page.html).map(([tid, amount]) => [tid, amount])).toEqual([
      [cancelTids[0], '3,000원'],
      [cancelTids[1], '2,000원'],
    ]);

    // The same link shows the payment as it stands: after the rest is cancelled, nothing remains.
    await cancel(payment);
    const later = await open(answer.url);
    expect(field(later.html, 'status')).toBe('취소');
    expect(field(later.html, 'remaining')).toBe('0원');
    expect(cancellationRows(later.html)).toHaveLength(3);
  });

  it("gives fields that the gateway's receipt script accepts and leads to the receipt page", async () => {
    const payment = await givenApprovedPayment(h, 12_000);
    const answer = expectData(await receipt(payment.id), 200);
    expect(answer.scriptUrl).toBe(`${h.gatewayUrl}/js/receipt.js`);

    const posted = await fetch(answer.scriptUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(answer.form).toString(),
      redirect: 'manual',
    });

    expect(posted.status).toBe(303);
    const page = await open(new URL(posted.headers.get('location') ?? '', answer.scriptUrl).toString());
    expect(page.status).toBe(200);
    expect(field(page.html, 'amount')).toBe('12,000원');
  });

  it('asks for the cash receipt with receiptType=cash, signed so that the gateway accepts the request', async () => {
    const payment = await givenApprovedPayment(h, 10_000);

    const answer = expectData(await receipt(payment.id, { receiptType: 'cash' }), 200);

    expect(answer.receiptType).toBe('cash');
    expect(new URL(answer.url).searchParams.get('receiptType')).toBe('cash');
    // A billing payment has no cash receipt: the gateway says so, after accepting the signature (a bad one is 403).
    const page = await open(answer.url);
    expect(page.status).toBe(404);
    expect(field(page.html, 'error')).toContain('현금영수증');
  });

  it('shows the page in English with lang=en', async () => {
    const payment = await givenApprovedPayment(h, 10_000);

    const answer = expectData(await receipt(payment.id, { lang: 'en' }), 200);

    const page = await open(answer.url);
    expect(field(page.html, 'amount')).toBe('KRW 10,000');
  });

  it('answers 409 for a DECLINED payment, which has no receipt', async () => {
    const declined = await givenDeclinedPayment(h);

    const answer = await receipt(declined.id);

    expect(answer.response.status).toBe(409);
    expect(answer.error?.type).toBe('/problems/invalid_state');
    expect(answer.error?.detail).toContain('DECLINED');
  });

  it('answers 404 for an unknown payment', async () => {
    const answer = await receipt('pay_does_not_exist');
    expect(answer.response.status).toBe(404);
    expect(answer.error?.type).toBe('/problems/not_found');
  });

  it('answers 400 naming receiptType when it is neither general nor cash', async () => {
    const payment = await givenApprovedPayment(h, 10_000);
    const answer = await h.api<ProblemBody>('GET', `/v1/payments/${payment.id}/receipt?receiptType=card`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.field)).toEqual(['receiptType']);
  });
});
