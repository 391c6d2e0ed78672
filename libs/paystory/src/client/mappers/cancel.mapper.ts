import { CancelApproved, CancelInput } from '../paystory-client.types';
import { WireFields } from '../../http/wire-fields';
import { RequestContext } from './request-context';
import { amountToWire, wireAmount, wireInstant, wireText } from './wire-values';

/** §7.3: cancel all (`partCanFlg` 0) or part (1) of an approval; `encData` signs canAmt (NOTES item 2). */
export function cancelFields(input: CancelInput, ctx: RequestContext): WireFields {
  const canAmt = amountToWire('cancel', 'canAmt', input.amount);
  return {
    payMethod: input.payMethod,
    tid: input.tid,
    mid: ctx.merchant.mid,
    canAmt,
    ordNo: input.orderNo,
    canId: input.cancellerId,
    canNm: input.cancellerName,
    canMsg: input.reason,
    canIp: input.cancellerIp,
    partCanFlg: input.partial ? '1' : '0',
    notiUrl: input.notiUrl,
    encData: ctx.signer.cancel(ctx.merchant, ctx.ediDate, canAmt),
    ediDate: ctx.ediDate,
  };
}

/** §7.4 in domain names: `tid` is the cancel's own (new per partial cancel), `oTid` the original. */
export function cancelApprovedFrom(fields: Record<string, unknown>, tid: string, input: CancelInput): CancelApproved {
  return {
    tid,
    originalTid: wireText(fields.oTid) ?? input.tid,
    orderNo: wireText(fields.ordNo) ?? input.orderNo,
    amount: wireAmount(fields.amt) ?? input.amount,
    cancelledAt: wireInstant(fields.appDtm),
  };
}
