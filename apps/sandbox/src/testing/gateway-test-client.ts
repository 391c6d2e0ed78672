import { randomBytes } from 'node:crypto';
import { encodeForm, type PaystoryCharset } from '@app/paystory/charset/charset';
import { systemClock, type Clock } from '@app/paystory/clock/clock';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import { PaystorySigner, type SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { SANDBOX_MERCHANTS } from '../config/sandbox-merchants';

/** A gateway answer as a test reads it. */
export type Answer = Record<string, unknown> & { resultCd: string; resultMsg: string };

/**
 * What a merchant sends, built by hand for the sandbox's own tests: raw forms (the library's
 * `encodeForm`), hashes from the library's signer, global `fetch`. Deliberately not the typed client.
 */
export class GatewayTestClient {
  readonly signer: PaystorySigner;

  constructor(
    readonly baseUrl: string,
    readonly merchant: SigningMerchant = SANDBOX_MERCHANTS.card,
    clock: Clock = systemClock,
  ) {
    this.signer = new PaystorySigner(clock);
  }

  /** A fresh order number, unique across clients and test files. */
  orderNo(prefix = 'ord'): string {
    return `${prefix}-${randomBytes(8).toString('hex')}`;
  }

  /** POSTs a form and returns the raw response. */
  postForm(
    path: string,
    fields: Record<string, string>,
    charset: PaystoryCharset = 'UTF-8',
    init: { signal?: AbortSignal; contentTypeCharset?: boolean } = {},
  ): Promise<Response> {
    const declared = init.contentTypeCharset === false ? '' : `; charset=${charset.toLowerCase()}`;
    return fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': `application/x-www-form-urlencoded${declared}` },
      body: encodeForm(fields, charset),
      signal: init.signal,
    });
  }

  /** POSTs a form and reads the JSON answer, failing on anything but HTTP 200 JSON. */
  async post(path: string, fields: Record<string, string>, charset: PaystoryCharset = 'UTF-8'): Promise<Answer> {
    const response = await this.postForm(path, fields, charset);
    if (response.status !== 200) throw new Error(`${path} answered HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as Answer;
  }

  registrationFields(overrides: Record<string, string> = {}): Record<string, string> {
    const ediDate = this.signer.ediDate();
    return {
      PayMethod: 'CARD',
      trxCd: '0',
      mid: this.merchant.mid,
      cpCd: '04',
      cardTypeCd: '01',
      cardNo: '5365100012341234',
      expireYymm: '3012',
      ordAuthNo: '900101',
      cardPw: '12',
      ordNo: this.orderNo('reg'),
      ordTel: '01012345678',
      ordNm: 'Hong Gildong',
      goodsNm: 'Monthly plan',
      goodsAmt: '0',
      quotaMon: '00',
      noIntFlg: '0',
      pointFlg: '0',
      reqType: '0',
      ediDate,
      encData: this.signer.issuance(this.merchant, ediDate, '0'),
      ...overrides,
    };
  }

  register(overrides: Record<string, string> = {}, charset: PaystoryCharset = 'UTF-8'): Promise<Answer> {
    return this.post(ENDPOINTS.registerBillingKey.path, this.registrationFields(overrides), charset);
  }

  /** Registers a card and returns its billing key, failing the test when registration fails. */
  async billingKey(cardNo = '5365100012341234'): Promise<string> {
    const answer = await this.register({ cardNo });
    if (answer.resultCd !== 'F011') throw new Error(`registration failed: ${answer.resultCd} ${answer.resultMsg}`);
    return String(answer.bid);
  }

  chargeFields(bid: string, amount: number, overrides: Record<string, string> = {}): Record<string, string> {
    const ediDate = this.signer.ediDate();
    const goodsAmt = overrides.goodsAmt ?? String(amount);
    return {
      bid,
      PayMethod: 'CARD',
      trxCd: '0',
      mid: this.merchant.mid,
      ordNo: this.orderNo('pay'),
      goodsNm: 'Monthly plan',
      goodsAmt,
      quotaMon: '00',
      ordNm: 'Hong Gildong',
      ordTel: '01012345678',
      noIntFlg: '0',
      pointFlg: '0',
      ediDate,
      encData: this.signer.charge(this.merchant, ediDate, goodsAmt),
      ...overrides,
    };
  }

  charge(
    bid: string,
    amount: number,
    overrides: Record<string, string> = {},
    charset: PaystoryCharset = 'UTF-8',
  ): Promise<Answer> {
    return this.post(ENDPOINTS.charge.path, this.chargeFields(bid, amount, overrides), charset);
  }

  cancelFields(
    tid: string,
    amount: number,
    partial: boolean,
    overrides: Record<string, string> = {},
  ): Record<string, string> {
    const ediDate = this.signer.ediDate();
    const canAmt = overrides.canAmt ?? String(amount);
    return {
      payMethod: 'CARD',
      tid,
      mid: this.merchant.mid,
      canAmt,
      canMsg: 'customer asked',
      partCanFlg: partial ? '1' : '0',
      ediDate,
      encData: this.signer.cancel(this.merchant, ediDate, canAmt),
      ...overrides,
    };
  }

  cancel(tid: string, amount: number, partial: boolean, overrides: Record<string, string> = {}): Promise<Answer> {
    return this.post(ENDPOINTS.cancel.path, this.cancelFields(tid, amount, partial, overrides));
  }

  deleteFields(bid: string, overrides: Record<string, string> = {}): Record<string, string> {
    const ediDate = this.signer.ediDate();
    return {
      bid,
      mid: this.merchant.mid,
      ediDate,
      encData: this.signer.deleteBillingKey(this.merchant, ediDate, bid),
      ...overrides,
    };
  }

  deleteKey(bid: string, overrides: Record<string, string> = {}): Promise<Answer> {
    return this.post(ENDPOINTS.deleteBillingKey.path, this.deleteFields(bid, overrides));
  }

  /** `GET /transaction` by tid, or by ordNo with tid empty (NOTES item 3). */
  async query(by: { tid: string } | { ordNo: string }, overrides: Record<string, string> = {}): Promise<Answer> {
    const ediDate = this.signer.ediDate();
    const fields: Record<string, string> =
      'tid' in by
        ? {
            mid: this.merchant.mid,
            tid: by.tid,
            ediDate,
            hashStr: this.signer.queryByTid(this.merchant, ediDate, by.tid),
          }
        : {
            mid: this.merchant.mid,
            tid: '',
            ordNo: by.ordNo,
            ediDate,
            hashStr: this.signer.queryByOrderNo(this.merchant, ediDate),
          };
    const response = await fetch(
      `${this.baseUrl}${ENDPOINTS.query.path}?${encodeForm({ ...fields, ...overrides }, 'UTF-8')}`,
    );
    if (response.status !== 200) throw new Error(`query answered HTTP ${response.status}`);
    return (await response.json()) as Answer;
  }

  /** GETs a `/__sandbox/…` inspection list. */
  async inspect<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}/__sandbox/${path}`);
    return (await response.json()) as T;
  }

  /** POSTs JSON to a `/__sandbox/…` endpoint. */
  sandboxPost(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}/__sandbox/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }
}
