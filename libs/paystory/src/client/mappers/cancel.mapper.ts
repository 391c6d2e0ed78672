import { PaystoryRequestInvalidError } from '../../errors/paystory-errors';
import { CancelApproved, CancelInput } from '../paystory-client.types';
import { WireFields } from '../../http/wire-fields';
import { RequestContext } from './request-context';
import { amountToWire, vatAmountsToWire, wireAmount, wireInstant, wireText } from './wire-values';

/** `ordNoChk` value of a cancel that names its approval by order number (§7.3 주문번호 취소). */
const BY_ORDER_NO = '1';

/**
 * §7.3: cancel all (`partCanFlg` 0) or part (1) of an approval; `encData` signs canAmt (NOTES item 2).
 * By order number (`ordNoChk` "1"), `ordNo` names the approval and `tid` goes empty: the guide marks
 * it required, yet the option exists for an approval whose tid is not known (the query by ordNo
 * sends its tid empty the same way, NOTES item 3).
 */
export function cancelFields(input: CancelInput, ctx: RequestContext): WireFields {
  const canAmt = amountToWire('cancel', 'canAmt', input.amount);
  if (input.byOrderNo && !input.orderNo) {
    throw new PaystoryRequestInvalidError('cancel', [
      { field: 'ordNo', reason: 'missing', message: 'ordNo is required to cancel by order number (ordNoChk 1)' },
    ]);
  }
  return {
    payMethod: input.payMethod,
    tid: input.byOrderNo ? (input.tid ?? '') : input.tid,
    mid: ctx.merchant.mid,
    canAmt,
    ordNoChk: input.byOrderNo ? BY_ORDER_NO : undefined,
    ordNo: input.orderNo,
    canId: input.cancellerId,
    canNm: input.cancellerName,
    canMsg: input.reason,
    canIp: input.cancellerIp,
    partCanFlg: input.partial ? '1' : '0',
    notiUrl: input.notiUrl,
    encData: ctx.signer.cancel(ctx.merchant, ctx.ediDate, canAmt),
    ediDate: ctx.ediDate,
    ...vatAmountsToWire('cancel', input.amounts, { field: 'canAmt', amount: input.amount }),
  };
}

/** §7.4 in domain names: `tid` is the cancel's own (new per partial cancel), `oTid` the original. */
export function cancelApprovedFrom(fields: Record<string, unknown>, tid: string, input: CancelInput): CancelApproved {
  return {
    tid,
    originalTid: wireText(fields.oTid) ?? (input.tid || undefined),
    orderNo: wireText(fields.ordNo) ?? input.orderNo,
    amount: wireAmount(fields.amt) ?? input.amount,
    cancelledAt: wireInstant(fields.appDtm),
  };
}
