import { encodeForm, type PaystoryCharset } from '@app/paystory/charset/charset';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import type { SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { SANDBOX_MERCHANTS } from '../config/sandbox-merchants';
import type { ApprovalView } from '../inspection/inspection.controller';
import type { Ledger } from '../inspection/ledger';
import { startSandbox, type RunningSandbox } from '../start-sandbox';
import { GatewayTestClient } from '../testing/gateway-test-client';
import type { AuthWindowMessage } from './auth-window-pages';

/** The message a window page hands to the merchant page (the argument of its `deliver(...)` call). */
function deliveredMessage(html: string, trigger: 'now' | 'close'): AuthWindowMessage {
  const pattern =
    trigger === 'now'
      ? /\ndeliver\((\{.*\})\);\n/
      : /addEventListener\('click', function \(\) \{ deliver\((\{.*\})\); \}\)/;
  const literal = pattern.exec(html)?.[1];
  if (!literal) throw new Error('no message in page');
  return JSON.parse(literal) as AuthWindowMessage;
}

describe('auth window (§4, NOTES item 18)', () => {
  let sandbox: RunningSandbox;
  const card = () => new GatewayTestClient(sandbox.baseUrl, SANDBOX_MERCHANTS.card);
  const phone = () => new GatewayTestClient(sandbox.baseUrl, SANDBOX_MERCHANTS.phone);

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, logger: false });
  });
  afterAll(() => sandbox.close());

  function authRequest(
    client: GatewayTestClient,
    payMethod: 'CARD' | 'PHONE',
    goodsAmt: string,
    overrides: Record<string, string> = {},
  ): Record<string, string> {
    const ediDate = client.signer.ediDate();
    return {
      payMethod,
      mid: client.merchant.mid,
      trxCd: '0',
      goodsNm: 'Monthly plan',
      ordNo: client.orderNo('auth'),
      goodsAmt,
      ordNm: 'Hong Gildong',
      ordTel: '01012345678',
      billHpFlg: payMethod === 'PHONE' ? '1' : '0',
      ediDate,
      encData: client.signer.issuance(client.merchant, ediDate, goodsAmt),
      returnUrl: 'https://merchant.example/billing/return?session=s1',
      charSet: 'UTF-8',
      ...overrides,
    };
  }

  /** Posts as a browser form does: charset only in the `charSet` field, never in the Content-Type. */
  async function browserPost(
    path: string,
    fields: Record<string, string>,
    charset: PaystoryCharset = 'UTF-8',
  ): Promise<{ status: number; html: string }> {
    const response = await fetch(`${sandbox.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm(fields, charset),
    });
    return { status: response.status, html: await response.text() };
  }

  function orderKeyOf(html: string): string {
    const key = /name="orderKey" value="([0-9a-f]+)"/.exec(html)?.[1];
    if (!key) throw new Error('no orderKey in page');
    return key;
  }

  function completion(
    merchant: SigningMerchant,
    request: Record<string, string>,
    message: AuthWindowMessage,
  ): Record<string, string> {
    return {
      tid: message.data.tid,
      mid: merchant.mid,
      goodsAmt: request.goodsAmt,
      charSet: 'UTF-8',
      ediDate: request.ediDate,
      encData: request.encData,
      signData: message.data.signData,
    };
  }

  it('serves pgAsistant.js keeping the gateway script contract', async () => {
    const response = await fetch(`${sandbox.baseUrl}/js/pgAsistant.js`);
    const script = await response.text();

    expect(response.headers.get('content-type')).toContain('javascript');
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain(`var base = ${JSON.stringify(sandbox.baseUrl)};`);
    for (const contract of [
      'window.SendPay = function (form)',
      'window.setSendPayUrl = function (url)',
      'window.payResultSubmit = function ()',
      "base + '/order'",
      '"pg_pay_frame"',
      "buildForm('payResult', message.returnUrl",
      'window.pay_result_submit()',
      "message.resultCode === '0000'",
      'opened.action || message.returnUrl',
    ]) {
      expect(script).toContain(contract);
    }
  });

  it('issues a card billing key: window page, §4.2 result, then /payment.do F011', async () => {
    const client = card();
    const request = authRequest(client, 'CARD', '0');
    const entry = await browserPost(ENDPOINTS.authRequest.path, request);
    for (const id of ['cpCd', 'cardNo', 'expiry', 'birth', 'cardPw', 'submit', 'close'])
      expect(entry.html).toContain(`id="${id}"`);

    const result = await browserPost('/order/authorize', {
      orderKey: orderKeyOf(entry.html),
      cpCd: '06',
      cardNo: '9410-1234-5678-9012',
      expiry: '07/29',
      birth: '900101',
      cardPw: '12',
    });
    const message = deliveredMessage(result.html, 'now');
    expect(message).toMatchObject({ resultCode: '0000', returnUrl: request.returnUrl, charSet: 'UTF-8' });
    expect(Object.keys(message.data).sort()).toEqual([
      'ediDate',
      'goodsAmt',
      'mid',
      'payMethod',
      'resultCode',
      'resultMsg',
      'signData',
      'tid',
    ]);
    expect(message.data).toMatchObject({
      resultCode: '0000',
      resultMsg: 'OK',
      payMethod: 'CARD',
      mid: 'sandbox01m',
      ediDate: request.ediDate,
      goodsAmt: '0',
    });
    // Not echoed in any form (its groups alone could turn up inside the tid's time and random digits).
    expect(result.html).not.toMatch(/9410[- ]?1234|1234[- ]?5678[- ]?9012|07\/29/);

    const issued = await client.post(
      ENDPOINTS.completeAuthIssuance.path,
      completion(client.merchant, request, message),
    );
    expect(issued).toMatchObject({
      resultCd: 'F011',
      payMethod: 'CARD',
      mid: 'sandbox01m',
      ordNo: request.ordNo,
      fnNm: '신한',
      appCardCd: '06',
      cardNo: '941012******9012',
    });
    expect((await client.charge(String(issued.bid), 5_000)).resultCd).toBe('3001');
    expect(
      (await client.post(ENDPOINTS.completeAuthIssuance.path, completion(client.merchant, request, message))).resultCd,
    ).toBe('F007');
  });

  it('issues a phone billing key and charges the first amount at once (§3.1.3)', async () => {
    const client = phone();
    const request = authRequest(client, 'PHONE', '9900');
    const entry = await browserPost(ENDPOINTS.authRequest.path, request);
    expect(entry.html).toContain('id="phone"');
    const message = deliveredMessage(
      (await browserPost('/order/authorize', { orderKey: orderKeyOf(entry.html), phone: '01098765432' })).html,
      'now',
    );

    const issued = await client.post(
      ENDPOINTS.completeAuthIssuance.path,
      completion(client.merchant, request, message),
    );
    expect(issued).toMatchObject({
      resultCd: 'A000',
      payMethod: 'PHONE',
      tid: message.data.tid,
      amt: '9900',
      sochpNo: '010****5432',
      cancelYN: 'N',
      appNo: expect.stringMatching(/^\d{8}$/),
    });
    const stored = (await client.inspect<ApprovalView[]>('transactions')).find((t) => t.tid === issued.tid);
    expect(stored).toMatchObject({ amount: 9_900, payMethod: 'PHONE', bid: issued.bid, ordNo: request.ordNo });
    expect(await client.charge(String(issued.bid), 9_900, { PayMethod: 'PHONE' })).toMatchObject({
      resultCd: 'A000',
      sochpNo: '010****5432',
    });
  });

  it('processes a late phone issuance only after its delay: the key and first charge appear then', async () => {
    const client = phone();
    const request = authRequest(client, 'PHONE', '9900');
    const entry = await browserPost(ENDPOINTS.authRequest.path, request);
    const message = deliveredMessage(
      (await browserPost('/order/authorize', { orderKey: orderKeyOf(entry.html), phone: '01098765432' })).html,
      'now',
    );
    // Aimed by the auth request's order number, which /payment.do itself does not carry.
    await client.sandboxPost('faults', {
      endpoint: 'completeAuthIssuance',
      fault: 'late-processing',
      ordNo: request.ordNo,
      delayMs: 600,
    });

    await expect(
      client.postForm(ENDPOINTS.completeAuthIssuance.path, completion(client.merchant, request, message)),
    ).rejects.toThrow();
    expect((await client.query({ tid: message.data.tid })).cnt).toBe('0');
    expect((await client.inspect<Ledger>(`ledger?ordNo=${request.ordNo}`)).pending).toEqual([
      expect.objectContaining({
        endpoint: 'completeAuthIssuance',
        mid: 'sandbox02m',
        ordNo: request.ordNo,
        tid: message.data.tid,
        amount: 9_900,
      }),
    ]);

    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await client.inspect<Ledger>(`ledger?ordNo=${request.ordNo}`)).toEqual({
      orders: [expect.objectContaining({ tid: message.data.tid, payMethod: 'PHONE', approved: 9_900, kept: 9_900 })],
      pending: [],
      notifying: [],
    });
    expect((await client.query({ tid: message.data.tid })).cnt).toBe('1');
  });

  it('answers a registration-failure card with its code and no tid', async () => {
    const entry = await browserPost(ENDPOINTS.authRequest.path, authRequest(card(), 'CARD', '0'));
    const result = await browserPost('/order/authorize', {
      orderKey: orderKeyOf(entry.html),
      cpCd: '01',
      cardNo: '4000009900000005',
      expiry: '0129',
      birth: '900101',
      cardPw: '12',
    });

    expect(deliveredMessage(result.html, 'now')).toMatchObject({
      resultCode: 'F005',
      data: { resultCode: 'F005', resultMsg: '카드빌링등록 실패', tid: '', signData: '' },
    });
  });

  it('shows the entry page again, with an error, for card data that cannot be right', async () => {
    const entry = await browserPost(ENDPOINTS.authRequest.path, authRequest(card(), 'CARD', '0'));
    const again = await browserPost('/order/authorize', {
      orderKey: orderKeyOf(entry.html),
      cpCd: '01',
      cardNo: '9410123456789012',
      expiry: '1329',
      birth: '900101',
      cardPw: '12',
    });

    expect(again.html).toContain('id="error"');
    expect(again.html).toContain('유효기간');
    expect(again.html).toContain('id="cardNo"');
  });

  it('offers Close, which hands back 9999 to the merchant page', async () => {
    const entry = await browserPost(ENDPOINTS.authRequest.path, authRequest(card(), 'CARD', '0'));

    expect(deliveredMessage(entry.html, 'close')).toMatchObject({
      resultCode: '9999',
      data: { resultCode: '9999', mid: 'sandbox01m', tid: '' },
    });
  });

  it('refuses a request whose encData is not mid + ediDate + goodsAmt + key', async () => {
    const client = card();
    const page = await browserPost(
      ENDPOINTS.authRequest.path,
      authRequest(client, 'CARD', '0', { encData: client.signer.issuance(client.merchant, '20200101000000', '0') }),
    );

    expect(page.html).toContain('id="error"');
    expect(deliveredMessage(page.html, 'close')).toMatchObject({
      resultCode: '9998',
      data: { resultMsg: expect.stringContaining('encData') },
    });
    expect(page.html).not.toContain('id="cardNo"');
  });

  it('refuses a card request with a goodsAmt other than 0', async () => {
    const client = card();
    const page = await browserPost(ENDPOINTS.authRequest.path, authRequest(client, 'CARD', '1000'));

    expect(deliveredMessage(page.html, 'close').data.resultMsg).toContain('goodsAmt');
  });

  it('reads an EUC-KR form by its charSet field, as a browser posts it', async () => {
    const page = await browserPost(
      ENDPOINTS.authRequest.path,
      authRequest(card(), 'CARD', '0', { goodsNm: '프리미엄 정기구독', ordNm: '홍길동', charSet: 'EUC-KR' }),
      'EUC-KR',
    );

    expect(page.html).toContain('<dd id="goodsNm">프리미엄 정기구독</dd>');
    expect(deliveredMessage(page.html, 'close').charSet).toBe('EUC-KR');
  });

  it('refuses /payment.do with a signData the window did not issue', async () => {
    const client = card();
    const request = authRequest(client, 'CARD', '0');
    const entry = await browserPost(ENDPOINTS.authRequest.path, request);
    const message = deliveredMessage(
      (
        await browserPost('/order/authorize', {
          orderKey: orderKeyOf(entry.html),
          cpCd: '01',
          cardNo: '9410123456789012',
          expiry: '0129',
          birth: '900101',
          cardPw: '12',
        })
      ).html,
      'now',
    );
    const forged = { ...message, data: { ...message.data, signData: 'ab'.repeat(64) } };

    const answer = await client.post(ENDPOINTS.completeAuthIssuance.path, completion(client.merchant, request, forged));
    expect(answer.resultCd).toBe('9998');
    expect(answer.bid).toBeUndefined();
    expect(
      (await client.post(ENDPOINTS.completeAuthIssuance.path, completion(client.merchant, request, message))).resultCd,
    ).toBe('F011');
  });
});
