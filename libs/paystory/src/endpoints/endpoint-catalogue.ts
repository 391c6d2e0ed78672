import { field, FieldSpec, optionalWhen } from './field-spec';

/** How the gateway expects a request: form body (POST) or query string (GET). */
export type HttpMethod = 'GET' | 'POST';

export interface EndpointSpec {
  /** Stable key used across the library and the sandbox. */
  readonly key: EndpointKey;
  readonly method: HttpMethod;
  /** Path on the PG host (or on the admin host for the receipt). */
  readonly path: string;
  /** The guide's section, for readers. */
  readonly section: string;
  /** Whether a lost answer may have moved money: such calls are never retried automatically. */
  readonly movesMoney: boolean;
  /** Result codes that mean success for this endpoint. */
  readonly successCodes: readonly string[];
  readonly request: readonly FieldSpec[];
  /** Response field names as the guide lists them; responses may carry more (§1.2.3). */
  readonly response: readonly string[];
}

export type EndpointKey =
  | 'authRequest'
  | 'completeAuthIssuance'
  | 'registerBillingKey'
  | 'charge'
  | 'deleteBillingKey'
  | 'cancel'
  | 'query'
  | 'receipt'
  | 'notification';

/**
 * Every gateway endpoint with every field exactly as the guide's own table spells and sizes it.
 * This table is the only place in the code base that knows a field name.
 */
export const ENDPOINTS: { readonly [K in EndpointKey]: EndpointSpec } = {
  /** §4.1: the form a merchant page posts into the auth window through `pgAsistant.js`. */
  authRequest: {
    key: 'authRequest',
    method: 'POST',
    path: '/order',
    section: '§4.1',
    movesMoney: false,
    successCodes: ['0000'],
    request: [
      field('payMethod', 20, true),
      field('mid', { fixed: 10 }, true),
      field('trxCd', 1, true, 'digits'),
      field('goodsNm', 100, true),
      field('ordNo', 40, true),
      field('goodsAmt', 15, true, 'amount'),
      field('ordNm', 30, true),
      field('ordTel', 20, true, 'digits'),
      field('ordEmail', 60, false),
      field('billHpFlg', 1, true, 'digits'),
      field('ediDate', 14, true, 'timestamp'),
      field('encData', 256, true),
      field('returnUrl', 'N/A', true),
      field('charSet', 10, false),
      field('language', 3, false),
      field('mbsReserved', 'N/A', false),
    ],
    response: ['resultCode', 'resultMsg', 'payMethod', 'tid', 'ediDate', 'mid', 'goodsAmt', 'signData'],
  },
  /** §4.3: completes an auth-window issuance; for phone billing this also charges (§3.1.3). */
  completeAuthIssuance: {
    key: 'completeAuthIssuance',
    method: 'POST',
    path: '/payment.do',
    section: '§4.3',
    movesMoney: true,
    successCodes: ['F011', 'A000'],
    request: [
      field('tid', 30, true),
      field('mid', 20, true),
      field('goodsAmt', 15, true, 'amount'),
      field('charSet', 10, false),
      field('ediDate', 14, true, 'timestamp'),
      field('encData', 256, true),
      field('signData', 256, true),
    ],
    response: [
      'resultCd',
      'resultMsg',
      'payMethod',
      'tid',
      'mid',
      'ediDate',
      'appDtm',
      'ordNo',
      'goodsName',
      'amt',
      'ordNm',
      'cancelYN',
      'fnNm',
      'appCardCd',
      'sochpNo',
      'mbsReserved',
      'hashStr',
      'bid',
      'ordTel',
      'mbsUsrId',
      'acqCardCd',
      'cardNo',
    ],
  },
  /** §14: issues a card billing key from card data, without the auth window. `PayMethod` is capitalised here. */
  registerBillingKey: {
    key: 'registerBillingKey',
    method: 'POST',
    path: '/payment.registBill',
    section: '§14',
    movesMoney: false,
    successCodes: ['F011'],
    request: [
      field('PayMethod', 'N/A', true),
      field('trxCd', 2, true, 'digits'),
      field('mid', 10, true),
      field('cpCd', 4, true),
      field('cardTypeCd', 2, true, 'digits'),
      field('cardNo', 20, true, 'digits'),
      field('expireYymm', 4, true, 'digits'),
      field('ordAuthNo', 10, true, 'digits'),
      field('cardPw', 4, true, 'digits'),
      field('ordNo', 40, true),
      field('ordTel', 20, true, 'digits'),
      field('ordNm', 30, true),
      field('goodsNm', 100, true),
      field('goodsAmt', 15, true, 'amount'),
      field('quotaMon', 2, true, 'digits'),
      field('noIntFlg', 2, true, 'digits'),
      field('pointFlg', 1, true, 'digits'),
      field('reqType', 1, true, 'digits'),
      field('ediDate', 14, true, 'timestamp'),
      field('encData', 256, true),
    ],
    response: [
      'resultCd',
      'resultMsg',
      'mid',
      'payMethod',
      'bid',
      'appDtm',
      'appCardCd',
      'ordNo',
      'ordTel',
      'fnNm',
      'ordNm',
      'cardNo',
    ],
  },
  /** §5: charges a billing key. `PayMethod` is capitalised here. */
  charge: {
    key: 'charge',
    method: 'POST',
    path: '/payment.doBill',
    section: '§5',
    movesMoney: true,
    successCodes: ['3001', 'A000'],
    request: [
      field('bid', 30, true),
      field('PayMethod', 'N/A', true),
      field('trxCd', 2, true, 'digits'),
      field('mid', 10, true),
      field('ordNo', 40, true),
      field('goodsNm', 100, true),
      field('goodsAmt', 15, true, 'amount'),
      field('goodsSplAmt', 15, false, 'amount'),
      field('goodsVat', 15, false, 'amount'),
      field('goodsSvsAmt', 15, false, 'amount'),
      field('quotaMon', 2, true, 'digits'),
      field('ordNm', 30, true),
      field('ordTel', 20, true, 'digits'),
      field('ordEmail', 60, false),
      field('mbsUsrId', 20, false),
      field('mbsReserved', 500, false),
      field('noIntFlg', 2, true, 'digits'),
      field('pointFlg', 1, true, 'digits'),
      field('notiUrl', 200, false),
      field('ediDate', 14, true, 'timestamp'),
      field('encData', 256, true),
    ],
    response: [
      'resultCd',
      'resultMsg',
      'payMethod',
      'tid',
      'mid',
      'appDtm',
      'appNo',
      'ordNo',
      'goodsName',
      'amt',
      'ordNm',
      'cancelYN',
      'appCardCd',
      'acqCardCd',
      'quota',
      'cardType',
      'sochpNo',
      'cardNo',
      'mbsUsrId',
      'fnNm',
      'mbsReserved',
    ],
  },
  /** §6: deletes a billing key for good (§3.5). */
  deleteBillingKey: {
    key: 'deleteBillingKey',
    method: 'POST',
    path: '/payment.deleteBill',
    section: '§6',
    movesMoney: false,
    successCodes: ['F012'],
    request: [
      field('bid', 30, true),
      field('mid', 10, true),
      field('ediDate', 14, true, 'timestamp'),
      field('encData', 256, true),
    ],
    response: ['resultCd', 'resultMsg', 'appDtm', 'mid', 'bid'],
  },
  /** §7: cancels all (`partCanFlg` 0) or part (1) of an approval; each partial cancel gets its own tid. */
  cancel: {
    key: 'cancel',
    method: 'POST',
    path: '/payment.cancel',
    section: '§7',
    movesMoney: true,
    successCodes: ['2001'],
    request: [
      field('payMethod', 10, true),
      // §7.3 marks tid required, but a cancel by order number (ordNoChk "1", ordNo 필수) exists for when the tid is not known: sent empty then.
      optionalWhen(field('tid', 30, true), 'ordNoChk', '1'),
      field('mid', 10, true),
      field('canAmt', 64, true, 'amount'),
      field('ordNoChk', 1, false, 'digits'),
      field('ordNo', 40, false),
      field('canId', 10, false),
      field('canNm', 30, false),
      field('canMsg', 100, true),
      field('canIp', 20, false),
      field('partCanFlg', 20, true, 'digits'),
      field('notiUrl', 200, false),
      field('encData', 256, true),
      field('ediDate', 14, true, 'timestamp'),
      field('goodsSplAmt', 15, false, 'amount'),
      field('goodsVat', 15, false, 'amount'),
      field('goodsSvsAmt', 15, false, 'amount'),
    ],
    response: ['resultCd', 'resultMsg', 'payMethod', 'oTid', 'tid', 'appDtm', 'ordNo', 'amt', 'cancelYN', 'mid'],
  },
  /**
   * §8: the gateway's record of a transaction, by `tid` or by `ordNo` (then `tid` is sent empty and
   * hashed as empty, NOTES item 3). Read-only, so it may be retried.
   */
  query: {
    key: 'query',
    method: 'GET',
    path: '/transaction',
    section: '§8',
    movesMoney: false,
    successCodes: ['0000'],
    request: [
      field('mid', { fixed: 10 }, true),
      field('tid', 30, false),
      field('ordNo', 40, false),
      field('hashStr', 256, true),
      field('ediDate', 14, true, 'timestamp'),
    ],
    response: ['resultCd', 'resultMsg', 'cnt', 'resultData'],
  },
  /**
   * §9: the receipt, opened by a person's browser on the admin host. Lowercase `mid`/`tid` as the
   * gateway's sample page sends them, not the guide's `Mid`/`Tid` (NOTES items 5 and 7).
   */
  receipt: {
    key: 'receipt',
    method: 'POST',
    path: '/js/receipt.js',
    section: '§9',
    movesMoney: false,
    successCodes: [],
    request: [
      field('mid', { fixed: 10 }, true),
      field('receiptType', 'N/A', true),
      field('tid', 30, true),
      field('encData', 256, true),
      field('lang', 2, false),
    ],
    response: [],
  },
  /** §10: what the gateway POSTs to the merchant's notiUrl. Sizes as the guide lists them. */
  notification: {
    key: 'notification',
    method: 'POST',
    path: '',
    section: '§10',
    movesMoney: false,
    successCodes: ['3001', 'A000', '2001', '4000', '4110', '8000'],
    request: [
      field('appDtm', 14, false, 'timestamp'),
      field('cancelYN', 1, false),
      field('currencyType', 3, false),
      field('ediDate', 14, true, 'timestamp'),
      field('goodsAmt', 9, true, 'amount'),
      field('goodsName', 100, false),
      field('hashStr', 256, true),
      field('mbsReserved', 255, false),
      field('mbsUsrId', 20, false),
      field('mid', 20, true),
      field('ordNm', 30, false),
      field('ordNo', 40, false),
      field('oTid', 30, false),
      field('payMethod', 20, false),
      field('resultCd', 10, true),
      field('resultMsg', 100, false),
      field('tid', 30, true),
      field('ccDtm', 14, false),
      field('acqCardCd', 2, false),
      field('appCardCd', 2, false),
      field('appNo', 30, false),
      field('authType', 2, false),
      field('cardNo', 16, false),
      field('cardType', 2, false),
      field('cpCd', 3, false),
      field('fnNm', 20, false),
      field('quota', 2, false),
      field('usePointAmt', 12, false),
      field('cashCrctFlg', 1, false),
      field('lmtDay', 8, false),
      field('vacntNo', 20, false),
      field('socHpNo', 20, false),
    ],
    response: [],
  },
};

/** Fixed values the guide requires for billing requests (§5.3, §14.3). */
export const FIXED_VALUES = {
  trxCd: '0',
  noIntFlg: '0',
  pointFlg: '0',
  reqType: '0',
  issuanceGoodsAmt: '0',
  issuanceQuotaMon: '00',
} as const;

/** Names of the request fields that carry card data; they are never logged, stored or echoed. */
export const CARD_DATA_FIELDS = ['cardNo', 'expireYymm', 'ordAuthNo', 'cardPw'] as const;
/** Names of request and response fields that are credentials. */
export const CREDENTIAL_FIELDS = ['bid', 'encData', 'hashStr', 'signData', 'merchantKey'] as const;
