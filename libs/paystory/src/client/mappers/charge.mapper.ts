import { FIXED_VALUES } from '../../endpoints/endpoint-catalogue';
import { ChargeApproved, ChargeInput } from '../paystory-client.types';
import { cardSummaryFrom } from './card-summary.mapper';
import { WireFields } from '../../http/wire-fields';
import { RequestContext } from './request-context';
import {
  amountToWire,
  installmentToWire,
  vatAmountsToWire,
  wireAmount,
  wireCount,
  wireInstant,
  wireText,
} from './wire-values';

/**
 * §5.3: charge a billing key. `PayMethod` is capitalised as §5.3 spells it (NOTES items 7, 19).
 * The VAT split goes only when given (the guide's default is the gateway's own computation).
 */
export function chargeFields(input: ChargeInput, ctx: RequestContext): WireFields {
  const goodsAmt = amountToWire('charge', 'goodsAmt', input.amount);
  return {
    bid: input.bid,
    PayMethod: input.payMethod,
    trxCd: FIXED_VALUES.trxCd,
    mid: ctx.merchant.mid,
    ordNo: input.orderNo,
    goodsNm: input.goodsName,
    goodsAmt,
    ...vatAmountsToWire('charge', input.amounts, { field: 'goodsAmt', amount: input.amount }),
    quotaMon: installmentToWire('charge', input.installmentMonths),
    ordNm: input.buyerName,
    ordTel: input.buyerTel,
    ordEmail: input.buyerEmail,
    mbsUsrId: input.customerRef,
    mbsReserved: input.reserved,
    noIntFlg: FIXED_VALUES.noIntFlg,
    pointFlg: FIXED_VALUES.pointFlg,
    notiUrl: input.notiUrl,
    ediDate: ctx.ediDate,
    encData: ctx.signer.charge(ctx.merchant, ctx.ediDate, goodsAmt),
  };
}

/** §5.4 in domain names. The gateway's `amt` wins; the requested amount stands in when it sends none. */
export function chargeApprovedFrom(fields: Record<string, unknown>, tid: string, input: ChargeInput): ChargeApproved {
  return {
    tid,
    orderNo: wireText(fields.ordNo) ?? input.orderNo,
    amount: wireAmount(fields.amt) ?? input.amount,
    approvalNo: wireText(fields.appNo),
    approvedAt: wireInstant(fields.appDtm),
    installmentMonths: wireCount(fields.quota),
    card: cardSummaryFrom(fields),
  };
}
