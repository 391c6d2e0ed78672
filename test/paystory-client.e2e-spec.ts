import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  decodeForm,
  encodeForm,
  parseCharset,
  PAYSTORY_CLOCK,
  PaystoryClient,
  PaystoryModule,
  PaystoryNotSentError,
  PaystoryOutcomeUnknownError,
  PaystoryRequestInvalidError,
  PaystoryUnavailableError,
  type AuthRequestForm,
  type AuthRequestInput,
  type ChargeInput,
  type PaystoryModuleOptions,
  type PaystoryOutcome,
  type RegisterBillingKeyInput,
} from '@app/paystory';
import {
  DECLINE_PREFIX,
  REGISTRATION_FAILURE_PREFIX,
  SANDBOX_MERCHANTS,
  startSandbox,
  type RunningSandbox,
} from '@app/sandbox';
import { CapturingLogger } from './support/capturing-logger';
import { SandboxInspector } from './support/sandbox-inspector';

const TIMEOUT_MS = 800;
const HANG_MS = 2_000;
const SLOW_MS = 300;
const MERCHANTS = [
  { name: 'card', ...SANDBOX_MERCHANTS.card },
  { name: 'phone', ...SANDBOX_MERCHANTS.phone },
];

/** Card data used in these tests, so the log check knows exactly what must never appear. */
const CARD = { expiry: '3107', birth: '870315', password: '42' };
const usedCardNumbers: string[] = [];
const issuedBids: string[] = [];

const orderNo = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

describe(PaystoryClient.name, () => {
  const logger = new CapturingLogger();
  let sandbox: RunningSandbox;
  let gateway: SandboxInspector;
  let moduleRef: TestingModule;
  let client: PaystoryClient;

  async function bootClient(
    options: Partial<PaystoryModuleOptions> = {},
  ): Promise<{ moduleRef: TestingModule; client: PaystoryClient }> {
    const ref = await Test.createTestingModule({
      imports: [
        PaystoryModule.forRoot({
          baseUrl: sandbox.baseUrl,
          receiptBaseUrl: sandbox.receiptBaseUrl,
          merchants: MERCHANTS,
          timeoutMs: TIMEOUT_MS,
          ...options,
        }),
      ],
    })
      .setLogger(logger)
      .compile();
    return { moduleRef: ref, client: ref.get(PaystoryClient) };
  }

  function cardInput(cardNo: string, overrides: Partial<RegisterBillingKeyInput> = {}): RegisterBillingKeyInput {
    usedCardNumbers.push(cardNo);
    return {
      cardCompanyCode: '04',
      cardType: 'personal',
      cardNo,
      expiry: CARD.expiry,
      birthOrBusinessNo: CARD.birth,
      cardPassword2: CARD.password,
      orderNo: orderNo('reg'),
      buyerName: '홍길동',
      buyerTel: '01012345678',
      goodsName: '정기결제 등록',
      ...overrides,
    };
  }

  async function givenBillingKey(cardNo = '5365100012341111'): Promise<string> {
    const outcome = await client.registerBillingKey(cardInput(cardNo));
    const issued = approved(outcome);
    issuedBids.push(issued.bid);
    return issued.bid;
  }

  function chargeInput(bid: string, amount: number, label = 'chg'): ChargeInput {
    return {
      bid,
      payMethod: 'CARD',
      orderNo: orderNo(label),
      goodsName: '월 구독료',
      amount,
      installmentMonths: 0,
      buyerName: '홍길동',
      buyerTel: '01012345678',
    };
  }

  async function givenCharge(amount: number): Promise<{ tid: string; orderNo: string }> {
    const input = chargeInput(await givenBillingKey(), amount);
    const charged = approved(await client.charge(input));
    return { tid: charged.tid, orderNo: input.orderNo };
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, hangMs: HANG_MS, slowMs: SLOW_MS, logger: false });
    gateway = new SandboxInspector(sandbox.baseUrl);
    ({ moduleRef, client } = await bootClient());
  });

  afterAll(async () => {
    await moduleRef?.close();
    await sandbox?.close();
  });

  describe('billing keys (§14, §6)', () => {
    it('registers a card and describes it by the masked number only', async () => {
      const input = cardInput('5365100012342222');
      const outcome = await client.registerBillingKey(input);

      const issued = approved(outcome);
      issuedBids.push(issued.bid);
      expect(outcome.code).toBe('F011');
      expect(issued.bid).toMatch(/\S{10,}/);
      expect(issued.payMethod).toBe('CARD');
      expect(issued.orderNo).toBe(input.orderNo);
      expect(issued.issuedAt).toBeInstanceOf(Date);
      expect(issued.card.masked).toMatch(/^536510\*+2222$/);
      expect(issued.card.issuerCode).toBe('04');
      expect(issued.card.issuerName).toBe('삼성');
      const [sent] = await gateway.requestsFor('registerBillingKey', input.orderNo);
      expect(sent.fields).toMatchObject({
        PayMethod: 'CARD',
        mid: SANDBOX_MERCHANTS.card.mid,
        cpCd: '04',
        cardTypeCd: '01',
        goodsAmt: '0',
        quotaMon: '00',
        reqType: '0',
      });
    });

    it('reports a registration the gateway refuses as a refusal with its code', async () => {
      const outcome = await client.registerBillingKey(cardInput(`${REGISTRATION_FAILURE_PREFIX}000005`));

      expect(outcome.ok).toBe(false);
      expect(outcome.code).toBe('F005');
      expect(outcome).toMatchObject({ ok: false, category: 'declined' });
    });

    it('deletes a billing key, after which it cannot be charged', async () => {
      const bid = await givenBillingKey();

      const deleted = approved(await client.deleteBillingKey({ bid }));
      expect(deleted.bid).toBe(bid);
      expect(deleted.deletedAt).toBeInstanceOf(Date);

      const charge = await client.charge(chargeInput(bid, 1_000));
      expect(charge).toMatchObject({ ok: false, code: 'F002' });
    });

    it('registers in EUC-KR, with sizes counted in EUC-KR bytes', async () => {
      const euckr = await bootClient({ charset: 'EUC-KR' });
      try {
        // 40 Hangul syllables: 80 bytes in EUC-KR (fits the 100-byte goodsNm), 120 in UTF-8 (would not).
        const goodsName = '가'.repeat(40);
        const input = cardInput('5365100012343333', { goodsName, buyerName: '김철수' });
        const issued = approved(await euckr.client.registerBillingKey(input));
        issuedBids.push(issued.bid);

        const [sent] = await gateway.requestsFor('registerBillingKey', input.orderNo);
        expect(sent.charset).toBe('EUC-KR');
        expect(sent.fields.goodsNm).toBe(goodsName);
        expect(sent.fields.ordNm).toBe('김철수');
        const utf8 = cardInput('5365100012343333', { goodsName });
        await expect(client.registerBillingKey(utf8)).rejects.toThrow(/goodsNm is 120 bytes in UTF-8/);
        expect(await gateway.requestsFor('registerBillingKey', utf8.orderNo)).toHaveLength(0);
      } finally {
        await euckr.moduleRef.close();
      }
    });
  });

  describe('auth-window issuance (§4)', () => {
    /** Plays the person in the auth window: posts the merchant form, then the card or phone, and reads the §4.2 result. */
    async function authenticate(form: AuthRequestForm, means: Record<string, string>): Promise<Record<string, string>> {
      const entry = await postForm(form.actionUrl, form.fields);
      const orderKey = /name="orderKey" value="([^"]+)"/.exec(entry)?.[1];
      expect(orderKey).toBeDefined();
      const result = await postForm(`${sandbox.baseUrl}/order/authorize`, { orderKey: orderKey!, ...means });
      const message = JSON.parse(/deliver\((\{.*\})\);/.exec(result)?.[1] ?? '{}') as {
        resultCode: string;
        data: Record<string, string>;
      };
      expect(message.resultCode).toBe('0000');
      return message.data;
    }

    function authInput(payMethod: 'CARD' | 'PHONE', amount: number): AuthRequestInput {
      return {
        merchant: payMethod === 'CARD' ? 'card' : 'phone',
        payMethod,
        orderNo: orderNo('auth'),
        goodsName: '정기결제',
        amount,
        buyerName: '홍길동',
        buyerTel: '01012345678',
        returnUrl: 'https://merchant.example/billing/return',
      };
    }

    it('prepares a signed form that never carries the merchant key', () => {
      const form = client.prepareAuthRequest(authInput('PHONE', 9_900));

      expect(form.actionUrl).toBe(`${sandbox.baseUrl}/order`);
      expect(form.scriptUrl).toBe(`${sandbox.baseUrl}/js/pgAsistant.js`);
      expect(form.fields).toMatchObject({
        payMethod: 'PHONE',
        mid: SANDBOX_MERCHANTS.phone.mid,
        goodsAmt: '9900',
        billHpFlg: '1',
        trxCd: '0',
        charSet: 'UTF-8',
      });
      expect(form.fields.ediDate).toMatch(/^\d{14}$/);
      expect(JSON.stringify(form)).not.toContain(SANDBOX_MERCHANTS.phone.merchantKey);
      expect(() => client.prepareAuthRequest(authInput('CARD', 1_000))).toThrow(PaystoryRequestInvalidError);
    });

    it('completes a card issuance the auth window authenticated', async () => {
      const form = client.prepareAuthRequest(authInput('CARD', 0));
      usedCardNumbers.push('5365100012344444');
      const auth = await authenticate(form, {
        cpCd: '06',
        cardNo: '5365100012344444',
        expiry: '0731',
        birth: CARD.birth,
        cardPw: CARD.password,
      });

      const outcome = await client.completeAuthIssuance({
        tid: auth.tid,
        amount: 0,
        authRequestStamp: form.ediDate,
        authRequestSignature: form.encData,
        authWindowSignature: auth.signData,
      });

      const issued = approved(outcome);
      issuedBids.push(issued.bid);
      expect(outcome.code).toBe('F011');
      expect(issued).toMatchObject({ payMethod: 'CARD', orderNo: form.fields.ordNo, payment: undefined });
      expect(issued.card).toMatchObject({ masked: '536510******4444', issuerCode: '06', issuerName: '신한' });
      expect(approved(await client.charge(chargeInput(issued.bid, 1_000))).amount).toBe(1_000);
    });

    it('completes a phone issuance, which charges its first amount, then charges the same amount again', async () => {
      const form = client.prepareAuthRequest(authInput('PHONE', 9_900));
      const auth = await authenticate(form, { phone: '01098765432' });

      const outcome = await client.completeAuthIssuance({
        merchant: 'phone',
        tid: auth.tid,
        amount: 9_900,
        authRequestStamp: form.ediDate,
        authRequestSignature: form.encData,
        authWindowSignature: auth.signData,
      });

      const issued = approved(outcome);
      issuedBids.push(issued.bid);
      expect(outcome.code).toBe('A000');
      expect(issued.payMethod).toBe('PHONE');
      expect(issued.payment).toMatchObject({ amount: 9_900, orderNo: form.fields.ordNo });
      const next = await client.charge({ ...chargeInput(issued.bid, 9_900), merchant: 'phone', payMethod: 'PHONE' });
      expect(next).toMatchObject({ ok: true, code: 'A000', data: { amount: 9_900 } });
    });
  });

  describe('charges (§5)', () => {
    it('charges a billing key and reads amount, approval and card', async () => {
      const bid = await givenBillingKey();
      // Instalments need at least 50,000 KRW (3024).
      const input = { ...chargeInput(bid, 60_000), installmentMonths: 3, customerRef: 'cust-1' };

      const outcome = await client.charge(input);

      const charge = approved(outcome);
      expect(outcome.code).toBe('3001');
      expect(charge.amount).toBe(60_000);
      expect(charge.orderNo).toBe(input.orderNo);
      expect(charge.tid).toMatch(/\S{10,}/);
      expect(charge.approvalNo).toBeTruthy();
      expect(charge.approvedAt).toBeInstanceOf(Date);
      expect(Math.abs(charge.approvedAt!.getTime() - Date.now())).toBeLessThan(60_000);
      expect(charge.installmentMonths).toBe(3);
      expect(charge.card.masked).toMatch(/^\d{6}\*+\d{4}$/);
      expect(['credit', 'check']).toContain(charge.card.type);
      const [sent] = await gateway.requestsFor('charge', input.orderNo);
      expect(sent.fields).toMatchObject({
        PayMethod: 'CARD',
        goodsAmt: '60000',
        quotaMon: '03',
        trxCd: '0',
        noIntFlg: '0',
        pointFlg: '0',
        mbsUsrId: 'cust-1',
      });
    });

    it('reports a decline with its code, category and hardness', async () => {
      const bid = await givenBillingKey(`${DECLINE_PREFIX}003003`);

      const lost = await client.charge(chargeInput(bid, 10_000));
      expect(lost).toMatchObject({ ok: false, code: '3003', category: 'declined', hardDecline: true });

      const limitBid = await givenBillingKey(`${DECLINE_PREFIX}003030`);
      const overLimit = await client.charge(chargeInput(limitBid, 10_000));
      expect(overLimit).toMatchObject({ ok: false, code: '3030', category: 'declined', hardDecline: false });
      expect(overLimit.message).toBeTruthy();
    });

    it('refuses a non-integer or negative amount before anything is sent', async () => {
      const bid = await givenBillingKey();
      const fractional = chargeInput(bid, 1_000.5);
      const negative = chargeInput(bid, -1_000);

      await expect(client.charge(fractional)).rejects.toThrow(PaystoryRequestInvalidError);
      await expect(client.charge(negative)).rejects.toMatchObject({
        problems: [expect.objectContaining({ field: 'goodsAmt', reason: 'not_integer_amount' })],
      });
      expect(await gateway.requestsFor('charge', fractional.orderNo)).toHaveLength(0);
      expect(await gateway.requestsFor('charge', negative.orderNo)).toHaveLength(0);
    });

    it('refuses a goodsNm too long in UTF-8 bytes before anything is sent', async () => {
      const bid = await givenBillingKey();
      // 34 Hangul syllables: 102 bytes in UTF-8, over §5.3's 100.
      const input = { ...chargeInput(bid, 1_000), goodsName: '상'.repeat(34) };

      const error = await failureOf(client.charge(input));

      expect(error).toBeInstanceOf(PaystoryRequestInvalidError);
      expect((error as PaystoryRequestInvalidError).problems).toEqual([
        expect.objectContaining({ field: 'goodsNm', reason: 'too_long' }),
      ]);
      expect(await gateway.requestsFor('charge', input.orderNo)).toHaveLength(0);
    });
  });

  describe('cancels (§7)', () => {
    it('cancels part of a charge, then the rest', async () => {
      const { tid, orderNo: chargedOrder } = await givenCharge(20_000);

      const partial = approved(
        await client.cancel({ tid, payMethod: 'CARD', amount: 5_000, partial: true, reason: '부분 환불' }),
      );
      expect(partial.amount).toBe(5_000);
      expect(partial.originalTid).toBe(tid);
      expect(partial.tid).not.toBe(tid);

      const rest = await client.cancel({
        tid,
        payMethod: 'CARD',
        amount: 15_000,
        partial: true,
        reason: '나머지 환불',
      });
      expect(approved(rest).amount).toBe(15_000);
      const [sent] = (await gateway.requests('cancel')).filter((r) => r.fields.tid === tid);
      expect(sent.fields).toMatchObject({ canAmt: '5000', partCanFlg: '1', payMethod: 'CARD', canMsg: '부분 환불' });

      const record = approved(await client.queryByOrderNo(chargedOrder)).transactions.find((t) => t.tid === tid);
      expect(record?.cancelled).toBe(true);
    });

    it('cancels a whole charge', async () => {
      const { tid } = await givenCharge(12_000);

      const outcome = await client.cancel({
        tid,
        payMethod: 'CARD',
        amount: 12_000,
        partial: false,
        reason: '주문 취소',
      });

      expect(outcome.code).toBe('2001');
      expect(approved(outcome)).toMatchObject({ amount: 12_000, originalTid: tid });
      const again = await client.cancel({
        tid,
        payMethod: 'CARD',
        amount: 12_000,
        partial: false,
        reason: '주문 취소',
      });
      expect(again.ok).toBe(false);
    });
  });

  describe('transaction query (§8)', () => {
    it('finds a charge by tid and by order number', async () => {
      const { tid, orderNo: ordNo } = await givenCharge(9_900);

      const byTid = approved(await client.queryByTid(tid));
      const byOrder = approved(await client.queryByOrderNo(ordNo));

      for (const result of [byTid, byOrder]) {
        expect(result.count).toBe(1);
        expect(result.transactions[0]).toMatchObject({ tid, orderNo: ordNo, amount: 9_900, cancelled: false });
        expect(result.transactions[0].approvedAt).toBeInstanceOf(Date);
      }
      const sent = (await gateway.requests('query')).filter((r) => r.fields.ordNo === ordNo);
      expect(sent).toHaveLength(1);
      expect(sent[0].fields.tid).toBe('');
    });
  });

  describe('receipts (§9)', () => {
    it('links to a receipt page the gateway serves', async () => {
      const { tid } = await givenCharge(3_000);

      const link = client.receiptLink(tid, 'general', { lang: 'ko' });

      expect(link.url.startsWith(`${sandbox.receiptBaseUrl}/receiptSearch.html?`)).toBe(true);
      expect(link.form).toMatchObject({ mid: SANDBOX_MERCHANTS.card.mid, tid, receiptType: 'general', lang: 'ko' });
      expect(link.scriptUrl).toBe(`${sandbox.receiptBaseUrl}/js/receipt.js`);
      expect(JSON.stringify(link)).not.toContain(SANDBOX_MERCHANTS.card.merchantKey);
      const page = await fetch(link.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('3,000');
    });
  });

  describe('notifications (§10)', () => {
    it('accepts a notification the gateway sent and rejects a tampered one', async () => {
      const received = await notificationReceiver();
      try {
        const bid = await givenBillingKey();
        const input = { ...chargeInput(bid, 7_000), notiUrl: received.url };
        const charge = approved(await client.charge(input));
        const fields = await received.next();

        const verified = client.verifyNotification(fields);
        expect(verified.valid).toBe(true);
        expect(verified.notification).toMatchObject({
          tid: charge.tid,
          orderNo: input.orderNo,
          amount: 7_000,
          resultCode: '3001',
          cancelled: false,
          mid: SANDBOX_MERCHANTS.card.mid,
        });

        expect(client.verifyNotification({ ...fields, goodsAmt: '70000' }).valid).toBe(false);
        expect(client.verifyNotification({ ...fields, mid: SANDBOX_MERCHANTS.phone.mid }).valid).toBe(false);
        expect(client.verifyNotification({ ...fields, hashStr: '' }).valid).toBe(false);
        expect(client.verifyNotification(fields, { merchant: 'phone' }).valid).toBe(false);
      } finally {
        await received.close();
      }
    });
  });

  describe('transport failures', () => {
    it('never retries a charge whose answer timed out, and reports its outcome unknown', async () => {
      const bid = await givenBillingKey();
      const input = chargeInput(bid, 11_000, 'hang');
      await gateway.fault('charge', 'hang-after-processing');

      const error = await failureOf(client.charge(input));

      expect(error).toBeInstanceOf(PaystoryOutcomeUnknownError);
      expect(error).toMatchObject({ reason: 'timeout', endpoint: 'charge' });
      expect(await gateway.requestsFor('charge', input.orderNo)).toHaveLength(1);
      // The gateway did approve it: the query tells the truth.
      const truth = approved(await client.queryByOrderNo(input.orderNo));
      expect(truth.transactions[0]).toMatchObject({ amount: 11_000, cancelled: false });
    });

    it('retries a query after an HTTP 500 and then succeeds', async () => {
      const { tid } = await givenCharge(4_000);
      await gateway.fault('query', 'http-500');

      const result = approved(await client.queryByTid(tid));

      expect(result.transactions[0].tid).toBe(tid);
      const sent = (await gateway.requests('query')).filter((r) => r.fields.tid === tid);
      expect(sent.map((r) => r.httpStatus)).toEqual([500, 200]);
    });

    it('gives up on a query that keeps failing with PaystoryUnavailableError', async () => {
      const { tid } = await givenCharge(4_100);
      await gateway.fault('query', 'http-500', 3);

      const error = await failureOf(client.queryByTid(tid));

      expect(error).toBeInstanceOf(PaystoryUnavailableError);
      expect(error).toMatchObject({ reason: 'http_status' });
      expect((await gateway.requests('query')).filter((r) => r.fields.tid === tid)).toHaveLength(3);
    });

    it('waits for a slow answer that arrives within the timeout', async () => {
      const bid = await givenBillingKey();
      await gateway.fault('charge', 'slow');

      const outcome = await client.charge(chargeInput(bid, 5_000));

      expect(approved(outcome).amount).toBe(5_000);
    });

    it.each([
      ['http-500', 'http_status'],
      ['malformed-after-processing', 'unparsable'],
      ['reset-after-processing', 'connection_reset'],
    ] as const)('reports a charge answered with %s as outcome unknown (%s), sent once', async (fault, reason) => {
      const bid = await givenBillingKey();
      const input = chargeInput(bid, 6_000, fault);
      await gateway.fault('charge', fault);

      const error = await failureOf(client.charge(input));

      expect(error).toBeInstanceOf(PaystoryOutcomeUnknownError);
      expect(error).toMatchObject({ reason });
      expect(await gateway.requestsFor('charge', input.orderNo)).toHaveLength(1);
    });

    it('keeps fields the guide does not list in raw', async () => {
      const bid = await givenBillingKey();
      await gateway.fault('charge', 'extra-fields');

      const outcome = await client.charge(chargeInput(bid, 8_000));

      expect(approved(outcome).amount).toBe(8_000);
      expect(outcome.raw).toMatchObject({ pgVersion: '2.4.1', extraInfo: { channel: 'API', seq: 1 } });
    });

    it('reports a closed port as unavailable: the charge never left', async () => {
      const closed = await bootClient({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
      try {
        const error = await failureOf(closed.client.charge(chargeInput('bid-never-used-0001', 1_000)));
        expect(error).toBeInstanceOf(PaystoryUnavailableError);
        expect(error).toMatchObject({ reason: 'connection_refused' });
      } finally {
        await closed.moduleRef.close();
      }
    });

    it("sends nothing once the call's sendBy has passed, and sends before it", async () => {
      const bid = await givenBillingKey();
      const late = chargeInput(bid, 5_200, 'late');
      const sendBy = Date.now() - 1;

      const error = await failureOf(client.charge({ ...late, sendBy }));

      expect(error).toBeInstanceOf(PaystoryNotSentError);
      expect(error).toMatchObject({ endpoint: 'charge', sendBy, kind: 'not_sent' });
      expect(await gateway.requestsFor('charge', late.orderNo)).toHaveLength(0);
      expect(approved(await client.queryByOrderNo(late.orderNo, { sendBy: Date.now() + 5_000 })).transactions).toEqual(
        [],
      );

      const inTime = chargeInput(bid, 5_300, 'in-time');
      expect(approved(await client.charge({ ...inTime, sendBy: Date.now() + 5_000 })).amount).toBe(5_300);
      expect(await gateway.requestsFor('charge', inTime.orderNo)).toHaveLength(1);
    });

    it('makes no read retry past sendBy: the failure before it stands', async () => {
      const { tid } = await givenCharge(4_200);
      await gateway.fault('query', 'http-500');

      // Past the deadline by the time the retry's backoff (100 ms) has passed.
      const error = await failureOf(client.queryByTid(tid, { sendBy: Date.now() + 50 }));

      expect(error).toBeInstanceOf(PaystoryUnavailableError);
      expect(error).toMatchObject({ reason: 'http_status' });
      expect((await gateway.requests('query')).filter((r) => r.fields.tid === tid)).toHaveLength(1);
    });

    it('honours a per-call timeout', async () => {
      const bid = await givenBillingKey();
      await gateway.fault('charge', 'slow');
      const started = Date.now();

      await expect(client.charge({ ...chargeInput(bid, 5_100), timeoutMs: SLOW_MS / 3 })).rejects.toMatchObject({
        reason: 'timeout',
      });
      expect(Date.now() - started).toBeLessThan(SLOW_MS);
    });
  });

  describe('module options', () => {
    it.each([
      [{ merchants: [] }, /merchants is empty/],
      [
        { merchants: [{ name: 'card', mid: 'short', merchantKey: 'k' }] },
        /merchants\[0\]\.mid must be exactly 10 characters/,
      ],
      [
        { merchants: [{ name: 'card', mid: SANDBOX_MERCHANTS.card.mid, merchantKey: '' }] },
        /merchants\[0\]\.merchantKey is missing/,
      ],
      [{ baseUrl: 'pg.minglepay.co.kr' }, /baseUrl is not a URL/],
    ])('fails at start when an option is wrong (%#)', async (options, message) => {
      await expect(bootClient(options)).rejects.toThrow(message);
    });

    it('stamps ediDate in Asia/Seoul from PAYSTORY_CLOCK, which a test can override', async () => {
      const ref = await Test.createTestingModule({
        imports: [PaystoryModule.forRoot({ baseUrl: sandbox.baseUrl, merchants: MERCHANTS })],
      })
        .overrideProvider(PAYSTORY_CLOCK)
        .useValue({ now: () => new Date('2024-05-01T15:30:00Z') })
        .setLogger(logger)
        .compile();
      try {
        const form = ref.get(PaystoryClient).prepareAuthRequest({
          payMethod: 'CARD',
          orderNo: orderNo('clock'),
          goodsName: '시계',
          amount: 0,
          buyerName: '홍길동',
          buyerTel: '01012345678',
          returnUrl: 'https://merchant.example/return',
        });
        expect(form.fields.ediDate).toBe('20240502003000');
      } finally {
        await ref.close();
      }
    });

    it.each(['reference', 'deep-hash'] as const)(
      'keeps two registrations apart (%s module ids)',
      async (moduleIdGeneratorAlgorithm) => {
        // The same factory source with other closures: Nest's deep-hash ids would merge them without a per-registration id.
        const registration = (merchants: typeof MERCHANTS) =>
          PaystoryModule.forRootAsync({ useFactory: () => ({ baseUrl: sandbox.baseUrl, merchants }) });
        @Module({
          imports: [registration(MERCHANTS)],
          providers: [{ provide: 'CARD_FIRST', useExisting: PaystoryClient }],
          exports: ['CARD_FIRST'],
        })
        class CardFirstModule {}
        @Module({
          imports: [registration([...MERCHANTS].reverse())],
          providers: [{ provide: 'PHONE_FIRST', useExisting: PaystoryClient }],
          exports: ['PHONE_FIRST'],
        })
        class PhoneFirstModule {}
        const ref = await Test.createTestingModule(
          { imports: [CardFirstModule, PhoneFirstModule] },
          { moduleIdGeneratorAlgorithm },
        )
          .setLogger(logger)
          .compile();
        try {
          const input = {
            payMethod: 'CARD' as const,
            orderNo: orderNo('two'),
            goodsName: '상품',
            amount: 0,
            buyerName: '홍길동',
            buyerTel: '01012345678',
            returnUrl: 'https://merchant.example/return',
          };
          expect(ref.get<PaystoryClient>('CARD_FIRST').prepareAuthRequest(input).fields.mid).toBe(
            SANDBOX_MERCHANTS.card.mid,
          );
          expect(ref.get<PaystoryClient>('PHONE_FIRST').prepareAuthRequest(input).fields.mid).toBe(
            SANDBOX_MERCHANTS.phone.mid,
          );
        } finally {
          await ref.close();
        }
      },
    );

    it('is configured asynchronously with forRootAsync', async () => {
      const ref = await Test.createTestingModule({
        imports: [
          PaystoryModule.forRootAsync({
            useFactory: async () => ({ baseUrl: sandbox.baseUrl, merchants: MERCHANTS, timeoutMs: TIMEOUT_MS }),
          }),
        ],
      })
        .setLogger(logger)
        .compile();
      try {
        const { tid } = await givenCharge(2_000);
        expect(approved(await ref.get(PaystoryClient).queryByTid(tid)).count).toBe(1);
      } finally {
        await ref.close();
      }
    });
  });

  describe('logging', () => {
    // Runs last: every call of the tests above has been logged by now.
    it('logs each call without merchant keys, card data or billing keys', () => {
      const text = logger.lines.join('\n');
      expect(
        logger.lines.some((line) =>
          /charge POST \/payment\.doBill ordNo=\S+ tid=\S+ resultCd=3001 http=200 \d+ms/.test(line),
        ),
      ).toBe(true);
      expect(logger.lines.some((line) => line.includes('outcome unknown, not retried'))).toBe(true);
      for (const secret of [...MERCHANTS.map((m) => m.merchantKey), ...usedCardNumbers, ...issuedBids])
        expect(text).not.toContain(secret);
      const tokens = new Set(text.split(/[\s=:,;()"'{}[\]]+/));
      for (const value of [CARD.expiry, CARD.birth, CARD.password]) expect(tokens.has(value)).toBe(false);
      for (const name of ['cardNo', 'expireYymm', 'ordAuthNo', 'cardPw', 'encData', 'hashStr', 'signData'])
        expect(text).not.toContain(name);
    });
  });
});

function approved<T>(outcome: PaystoryOutcome<T>): T {
  if (!outcome.ok) throw new Error(`expected an approval, got ${outcome.code} ${outcome.message}`);
  return outcome.data;
}

/** Posts a form the way a browser does (UTF-8) and returns the page. */
async function postForm(url: string, fields: Record<string, string>): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: encodeForm(fields, 'UTF-8'),
  });
  expect(response.ok).toBe(true);
  return response.text();
}

/** What a call that must fail threw; fails the test when it resolves. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A merchant notiUrl on a real socket: collects what the gateway posts and acknowledges it (§10). */
async function notificationReceiver(): Promise<{
  url: string;
  next(): Promise<Record<string, string>>;
  close(): Promise<void>;
}> {
  const waiting: ((fields: Record<string, string>) => void)[] = [];
  const received: Record<string, string>[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const charset = parseCharset(/charset=([^;]+)/i.exec(req.headers['content-type'] ?? '')?.[1]);
      const fields = decodeForm(Buffer.concat(chunks), charset);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"resultCd":"0000"}');
      const waiter = waiting.shift();
      if (waiter) waiter(fields);
      else received.push(fields);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/noti`,
    next: () => {
      const first = received.shift();
      return first ? Promise.resolve(first) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
