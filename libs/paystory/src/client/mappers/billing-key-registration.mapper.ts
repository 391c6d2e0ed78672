import { FIXED_VALUES } from '../../endpoints/endpoint-catalogue';
import { RegisterBillingKeyInput } from '../paystory-client.types';
import { WireFields } from '../../http/wire-fields';
import { RequestContext } from './request-context';

const CARD_TYPE_CODES = { personal: '01', corporate: '02' } as const;

/**
 * §14.3: issue a card billing key from card data. The card data goes into this request body and
 * nowhere else. Amount, instalments and flags are the fixed values the guide requires.
 */
export function registerBillingKeyFields(input: RegisterBillingKeyInput, ctx: RequestContext): WireFields {
  return {
    PayMethod: 'CARD',
    trxCd: FIXED_VALUES.trxCd,
    mid: ctx.merchant.mid,
    cpCd: input.cardCompanyCode,
    cardTypeCd: CARD_TYPE_CODES[input.cardType],
    cardNo: input.cardNo,
    expireYymm: input.expiry,
    ordAuthNo: input.birthOrBusinessNo,
    cardPw: input.cardPassword2,
    ordNo: input.orderNo,
    ordTel: input.buyerTel,
    ordNm: input.buyerName,
    goodsNm: input.goodsName,
    goodsAmt: FIXED_VALUES.issuanceGoodsAmt,
    quotaMon: FIXED_VALUES.issuanceQuotaMon,
    noIntFlg: FIXED_VALUES.noIntFlg,
    pointFlg: FIXED_VALUES.pointFlg,
    reqType: FIXED_VALUES.reqType,
    ediDate: ctx.ediDate,
    encData: ctx.signer.issuance(ctx.merchant, ctx.ediDate, FIXED_VALUES.issuanceGoodsAmt),
  };
}
