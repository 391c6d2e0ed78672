import { encodeForm } from '@app/paystory/charset/charset';
import { SANDBOX_MERCHANTS } from '../config/sandbox-merchants';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';

/** The text of the element with this id in a page. */
function textOf(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}">([^<]*)<`).exec(html)?.[1];
}

describe('receipt (§9, NOTES item 5)', () => {
  let sandbox: RunningSandbox;
  let client: GatewayTestClient;
  let charge: Record<string, unknown>;
  let cancel: Record<string, unknown>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false });
    client = new GatewayTestClient(sandbox.baseUrl);
    charge = await client.charge(await client.billingKey('5365100012341234'), 1_234_500, {
      ordNo: 'receipt-order-1',
      goodsNm: '연간 구독 <Pro>',
      ordNm: '홍길동',
      quotaMon: '03',
    });
    cancel = await client.cancel(String(charge.tid), 34_500, true);
  });
  afterAll(() => sandbox.close());

  const receiptFields = (overrides: Record<string, string> = {}) => ({
    mid: SANDBOX_MERCHANTS.card.mid,
    receiptType: 'general',
    tid: String(charge.tid),
    encData: client.signer.receipt(SANDBOX_MERCHANTS.card),
    ...overrides,
  });

  it('serves receipt.js exposing receipt_open, posting to receiptSearch.html on the same host', async () => {
    const response = await fetch(`${sandbox.receiptBaseUrl}/js/receipt.js`);
    const script = await response.text();

    expect(response.headers.get('content-type')).toContain('javascript');
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain('window.receipt_open = function (form)');
    expect(script).toContain(`${JSON.stringify(sandbox.receiptBaseUrl)}`);
    expect(script).toContain("'/receiptSearch.html'");
  });

  it('shows the payment and each cancellation, amounts in KRW', async () => {
    const response = await fetch(`${sandbox.receiptBaseUrl}/receiptSearch.html?tid=${charge.tid}`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(textOf(html, 'amount')).toBe('1,234,500원');
    expect(textOf(html, 'remaining')).toBe('1,200,000원');
    expect(textOf(html, 'status')).toBe('부분취소');
    expect(textOf(html, 'ordNo')).toBe('receipt-order-1');
    expect(textOf(html, 'goodsName')).toBe('연간 구독 &lt;Pro&gt;');
    expect(textOf(html, 'buyer')).toBe('홍*동');
    expect(textOf(html, 'cardNo')).toBe('536510******1234');
    expect(textOf(html, 'cardCompany')).toBe('삼성');
    expect(textOf(html, 'instalment')).toBe('3 개월');
    expect(textOf(html, 'appNo')).toBe(charge.appNo);
    expect(textOf(html, 'appDtm')).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(html).toContain(`<td>${cancel.tid}</td><td>34,500원</td>`);
  });

  it('posting the §9.1.2 fields to receipt.js leads to the receipt page', async () => {
    const response = await fetch(`${sandbox.receiptBaseUrl}/js/receipt.js`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm(receiptFields({ lang: 'en' }), 'UTF-8'),
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const page = await fetch(new URL(String(response.headers.get('location')), sandbox.receiptBaseUrl));
    const html = await page.text();

    expect(textOf(html, 'amount')).toBe('KRW 1,234,500');
    expect(textOf(html, 'status')).toBe('Partially cancelled');
  });

  it('takes the posted fields on receiptSearch.html and finds the payment from a cancel tid', async () => {
    const response = await fetch(`${sandbox.receiptBaseUrl}/receiptSearch.html`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm(receiptFields({ tid: String(cancel.tid) }), 'UTF-8'),
    });

    expect(response.status).toBe(200);
    expect(textOf(await response.text(), 'tid')).toBe(charge.tid);
  });

  it('refuses an encData that is not mid + key hashed, with an error page', async () => {
    const response = await fetch(`${sandbox.receiptBaseUrl}/receiptSearch.html`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm(
        receiptFields({ encData: client.signer.receipt({ mid: SANDBOX_MERCHANTS.card.mid, merchantKey: 'wrong' }) }),
        'UTF-8',
      ),
    });
    const html = await response.text();

    expect(response.status).toBe(403);
    expect(textOf(html, 'error')).toContain('encData');
    expect(html).not.toContain('1,234,500');
  });

  it("does not show a merchant's payment to another merchant's valid encData", async () => {
    const response = await fetch(`${sandbox.receiptBaseUrl}/receiptSearch.html`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm(
        receiptFields({ mid: SANDBOX_MERCHANTS.phone.mid, encData: client.signer.receipt(SANDBOX_MERCHANTS.phone) }),
        'UTF-8',
      ),
    });

    expect(response.status).toBe(404);
  });

  it('answers an unknown tid and a cash receipt request with an error page', async () => {
    expect((await fetch(`${sandbox.receiptBaseUrl}/receiptSearch.html?tid=nosuch`)).status).toBe(404);
    expect(
      (await fetch(`${sandbox.receiptBaseUrl}/receiptSearch.html?tid=${charge.tid}&receiptType=cash`)).status,
    ).toBe(404);
  });
});
