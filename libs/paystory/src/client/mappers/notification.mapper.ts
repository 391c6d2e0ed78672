import { PaystoryNotification } from '../paystory-client.types';
import { cardSummaryFrom } from './card-summary.mapper';
import { wireAmount, wireInstant, wireText } from './wire-values';

/**
 * A §10 notification in domain names, or undefined when a field the hash covers or the caller
 * needs (mid, tid, resultCd, ediDate, a whole goodsAmt) is missing or malformed.
 */
export function notificationFrom(fields: Record<string, string>): PaystoryNotification | undefined {
  const mid = wireText(fields.mid);
  const tid = wireText(fields.tid);
  const resultCode = wireText(fields.resultCd);
  const ediDate = wireText(fields.ediDate);
  const amount = wireAmount(fields.goodsAmt);
  if (!mid || !tid || !resultCode || !ediDate || amount === undefined) return undefined;
  return {
    mid,
    tid,
    originalTid: wireText(fields.oTid),
    orderNo: wireText(fields.ordNo),
    resultCode,
    resultMessage: wireText(fields.resultMsg),
    amount,
    cancelled: wireText(fields.cancelYN) === 'Y',
    payMethod: wireText(fields.payMethod),
    approvalNo: wireText(fields.appNo),
    approvedAt: wireInstant(fields.appDtm),
    cancelledAt: wireInstant(fields.ccDtm),
    ediDate,
    card: cardSummaryFrom(fields),
  };
}
