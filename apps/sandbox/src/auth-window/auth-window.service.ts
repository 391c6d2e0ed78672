import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { cardCompanyName } from '@app/paystory/catalogue/card-companies';
import { describeResult } from '@app/paystory/catalogue/result-codes';
import type { PaystoryCharset } from '@app/paystory/charset/charset';
import { FIXED_VALUES } from '@app/paystory/endpoints/endpoint-catalogue';
import { findRequestProblems } from '@app/paystory/endpoints/request-checker';
import { PaystorySigner } from '@app/paystory/signer/paystory-signer';
import type { StoredCard } from '../billing-keys/billing-key.store';
import { judgeCardNumber } from '../cards/card-behaviour';
import { maskCardNumber, maskPhoneNumber } from '../cards/masking';
import { MerchantDirectory } from '../config/merchant-directory.service';
import { IdIssuer } from '../ids/id-issuer.service';
import { OTHER_ERROR } from '../protocol/gateway-answer';
import { AuthSessionStore, type AuthOrder } from './auth-session.store';
import type { AuthWindowMessage } from './auth-window-pages';

/** §4.2 "0000 : 정상", with "OK" as its message. */
const AUTH_OK = '0000';
/** Not in the guide's tables: what the window answers when the person closes it. */
export const USER_CLOSED = '9999';
const USER_CLOSED_MESSAGE = '사용자가 결제를 취소하였습니다';

export type OpenResult =
  { opened: true; orderKey: string; order: AuthOrder } | { opened: false; refusal: AuthWindowMessage };
export type AuthorizeResult =
  | { done: false; order: AuthOrder; error: string }
  | { done: true; order: AuthOrder; message: AuthWindowMessage }
  | { done: 'unknown-order' };

/**
 * The auth window's logic (§4.1, §4.2): check the merchant's request, take a card or phone from a
 * person, and hand back a `tid` and `signData` that `/payment.do` will accept. Card data lives
 * only for the one request that judges it; only the masked number and its behaviour are kept.
 */
@Injectable()
export class AuthWindowService {
  constructor(
    private readonly merchants: MerchantDirectory,
    private readonly signer: PaystorySigner,
    private readonly ids: IdIssuer,
    private readonly sessions: AuthSessionStore,
  ) {}

  open(fields: Record<string, string>, charset: PaystoryCharset): OpenResult {
    const refuse = (message: string): OpenResult => ({
      opened: false,
      refusal: this.message(fields, charset, OTHER_ERROR, message),
    });
    // A browser form may carry inputs of the merchant's own (the guide's sample has "price"); only §4.1's fields are checked.
    const problems = findRequestProblems('authRequest', fields, charset).filter((p) => p.reason !== 'unknown_field');
    if (problems.length > 0) return refuse(`요청 필드 오류: ${problems.map((p) => p.message).join('; ')}`);
    const merchant = this.merchants.find(fields.mid);
    if (!merchant) return refuse(`mid: 등록되지 않은 가맹점입니다 (${fields.mid})`);
    if (!this.signer.matches(this.signer.issuance(merchant, fields.ediDate, fields.goodsAmt), fields.encData))
      return refuse('encData: 해시 검증 실패');
    if (fields.payMethod !== 'CARD' && fields.payMethod !== 'PHONE')
      return refuse('payMethod: CARD 또는 PHONE이어야 합니다');
    if (fields.trxCd !== FIXED_VALUES.trxCd) return refuse('trxCd: "0" 고정값이어야 합니다');
    if (fields.payMethod === 'CARD' && fields.goodsAmt !== FIXED_VALUES.issuanceGoodsAmt)
      return refuse('goodsAmt: 신용카드 빌키 발급은 "0"이어야 합니다');
    if (fields.payMethod === 'PHONE' && Number(fields.goodsAmt) <= 0)
      return refuse('goodsAmt: 휴대폰 빌키 발급은 첫 결제 금액이어야 합니다');
    if (fields.payMethod === 'PHONE' && fields.billHpFlg !== '1')
      return refuse('billHpFlg: 휴대폰 빌링은 "1"이어야 합니다');
    const orderKey = randomBytes(18).toString('hex');
    const order: AuthOrder = {
      mid: merchant.mid,
      payMethod: fields.payMethod,
      ordNo: fields.ordNo,
      goodsNm: fields.goodsNm,
      goodsAmt: fields.goodsAmt,
      ordNm: fields.ordNm,
      ordTel: fields.ordTel,
      ordEmail: fields.ordEmail || undefined,
      ediDate: fields.ediDate,
      returnUrl: fields.returnUrl,
      mbsReserved: fields.mbsReserved || undefined,
      charset,
      language: fields.language === 'ENG' ? 'ENG' : 'KOR',
    };
    this.sessions.openOrder(orderKey, order);
    return { opened: true, orderKey, order };
  }

  /** The message the Close button hands back. */
  closed(order: AuthOrder): AuthWindowMessage {
    return this.message(order, order.charset, USER_CLOSED, USER_CLOSED_MESSAGE);
  }

  authorize(input: Record<string, string>): AuthorizeResult {
    const order = this.sessions.order(input.orderKey ?? '');
    if (!order) return { done: 'unknown-order' };
    const english = order.language === 'ENG';
    if (order.payMethod === 'PHONE') {
      const phone = (input.phone ?? '').replace(/\D/g, '');
      if (!/^01\d{8,9}$/.test(phone))
        return { done: false, order, error: english ? 'Check the phone number.' : '휴대폰 번호를 확인하세요.' };
      return this.authenticated(input.orderKey, order, { phoneMasked: maskPhoneNumber(phone) });
    }
    const cardNo = (input.cardNo ?? '').replace(/[\s-]/g, '');
    const expiry = (input.expiry ?? '').replace('/', '');
    const fnNm = cardCompanyName(input.cpCd);
    const problem =
      (!/^\d{13,19}$/.test(cardNo) && (english ? 'Check the card number.' : '카드번호를 확인하세요.')) ||
      (!/^(0[1-9]|1[0-2])\d{2}$/.test(expiry) &&
        (english ? 'Check the expiry (MMYY).' : '유효기간(MMYY)을 확인하세요.')) ||
      (!/^(\d{6}|\d{10})$/.test(input.birth ?? '') &&
        (english ? 'Check the date of birth or business number.' : '생년월일 또는 사업자번호를 확인하세요.')) ||
      (!/^\d{2}$/.test(input.cardPw ?? '') &&
        (english ? 'Enter the first 2 digits of the PIN.' : '비밀번호 앞 2자리를 입력하세요.')) ||
      (!fnNm && (english ? 'Choose a card company.' : '카드사를 선택하세요.'));
    if (problem || !fnNm) return { done: false, order, error: problem || '' };
    const verdict = judgeCardNumber(cardNo);
    if (!verdict.accepted) {
      this.sessions.closeOrder(input.orderKey);
      return {
        done: true,
        order,
        message: this.message(order, order.charset, verdict.code, describeResult(verdict.code).message),
      };
    }
    return this.authenticated(input.orderKey, order, {
      card: {
        cardNoMasked: maskCardNumber(cardNo),
        cpCd: input.cpCd,
        fnNm,
        cardType: '0',
        behaviour: verdict.behaviour,
      },
    });
  }

  private authenticated(
    orderKey: string,
    order: AuthOrder,
    means: { card?: StoredCard; phoneMasked?: string },
  ): AuthorizeResult {
    const tid = this.ids.tid(order.mid, order.payMethod, 'auth');
    const signData = this.ids.signData();
    this.sessions.addSession({ ...order, ...means, tid, signData, completed: false });
    this.sessions.closeOrder(orderKey);
    const message = this.message(order, order.charset, AUTH_OK, 'OK');
    return { done: true, order, message: { ...message, data: { ...message.data, tid, signData } } };
  }

  /** A window answer with the §4.2 fields; tid and signData stay empty unless authentication succeeded. */
  private message(
    source: Partial<Record<'payMethod' | 'mid' | 'ediDate' | 'goodsAmt' | 'returnUrl', string>>,
    charset: PaystoryCharset,
    code: string,
    resultMsg: string,
  ): AuthWindowMessage {
    return {
      resultCode: code,
      data: {
        resultCode: code,
        resultMsg,
        payMethod: source.payMethod ?? '',
        tid: '',
        ediDate: source.ediDate ?? '',
        mid: source.mid ?? '',
        goodsAmt: source.goodsAmt ?? '',
        signData: '',
      },
      returnUrl: source.returnUrl ?? '',
      charSet: charset,
    };
  }
}
