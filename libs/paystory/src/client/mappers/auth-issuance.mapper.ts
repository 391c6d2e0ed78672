import { PaystoryCharset } from '../../charset/charset';
import { FIXED_VALUES } from '../../endpoints/endpoint-catalogue';
import { PaystoryRequestInvalidError } from '../../errors/paystory-errors';
import { AuthRequestInput, AuthWindowResult, CompleteAuthIssuanceInput } from '../paystory-client.types';
import { WireFields } from '../../http/wire-fields';
import { RequestContext } from './request-context';
import { amountToWire, wireText } from './wire-values';

/** The gateway's auth-window script, on the payment host (§2.2). */
export const AUTH_SCRIPT_PATH = '/js/pgAsistant.js';

/**
 * §4.1: the form a merchant page hands to `pgAsistant.js`. `encData` signs mid + ediDate +
 * goodsAmt; card billing issues for "0", phone billing charges its first amount (§3.1.3).
 */
export function authRequestFields(input: AuthRequestInput, ctx: RequestContext, charset: PaystoryCharset): WireFields {
  const goodsAmt = amountToWire('authRequest', 'goodsAmt', input.amount);
  if (input.payMethod === 'CARD' && goodsAmt !== FIXED_VALUES.issuanceGoodsAmt) {
    throw new PaystoryRequestInvalidError('authRequest', [
      {
        field: 'goodsAmt',
        reason: 'not_integer_amount',
        message: `goodsAmt must be 0 for a card billing key (got ${goodsAmt}): card issuance charges nothing`,
      },
    ]);
  }
  return {
    payMethod: input.payMethod,
    mid: ctx.merchant.mid,
    trxCd: FIXED_VALUES.trxCd,
    goodsNm: input.goodsName,
    ordNo: input.orderNo,
    goodsAmt,
    ordNm: input.buyerName,
    ordTel: input.buyerTel,
    ordEmail: input.buyerEmail,
    billHpFlg: input.payMethod === 'PHONE' ? '1' : '0',
    ediDate: ctx.ediDate,
    encData: ctx.signer.issuance(ctx.merchant, ctx.ediDate, goodsAmt),
    returnUrl: input.returnUrl,
    charSet: charset,
    language: input.language,
    mbsReserved: input.reserved,
  };
}

/** §4.3: completes the issuance with what the auth window returned (§4.2) and the original request's `ediDate`/`encData`. */
export function completeAuthIssuanceFields(
  input: CompleteAuthIssuanceInput,
  ctx: RequestContext,
  charset: PaystoryCharset,
): WireFields {
  return {
    tid: input.tid,
    mid: ctx.merchant.mid,
    goodsAmt: amountToWire('completeAuthIssuance', 'goodsAmt', input.amount),
    charSet: charset,
    ediDate: input.authRequestStamp,
    encData: input.authRequestSignature,
    signData: input.authWindowSignature,
  };
}

/** §4.2: what the auth window posts to the returnUrl, in domain names; `ok` only for `0000`. */
export function authWindowResultFrom(fields: Record<string, string | undefined>): AuthWindowResult {
  const resultCode = wireText(fields.resultCode) ?? '';
  return {
    ok: resultCode === AUTH_WINDOW_SUCCESS,
    resultCode,
    resultMessage: wireText(fields.resultMsg),
    payMethod: wireText(fields.payMethod),
    tid: wireText(fields.tid),
    ediDate: wireText(fields.ediDate),
    mid: wireText(fields.mid),
    goodsAmt: wireText(fields.goodsAmt),
    signData: wireText(fields.signData),
  };
}

/** The auth window's success code (§4.2). */
const AUTH_WINDOW_SUCCESS = '0000';
