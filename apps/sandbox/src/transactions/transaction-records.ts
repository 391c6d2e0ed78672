import { describeResult } from '@app/paystory/catalogue/result-codes';
import { approvalCode, CANCEL_SUCCESS } from './result-codes';
import type { Approval, Cancellation } from './transaction.store';

/** One entry of §8.4's `resultData`. */
export type TransactionRecordFields = Record<string, string>;

/**
 * An approval as the query shows it: its own code (3001 / A000) and full amount; `cancelYN` turns
 * "Y" once nothing is left to cancel. Partial cancels are entries of their own (see below).
 */
export function approvalRecord(approval: Approval): TransactionRecordFields {
  const code = approvalCode(approval.payMethod);
  return record(approval, {
    resultCd: code,
    resultMsg: describeResult(code).message,
    goodsAmt: String(approval.amount),
    appDtm: approval.appDtm,
    cancelYN: approval.remaining === 0 ? 'Y' : 'N',
    tid: approval.tid,
  });
}

/** A cancel as the query shows it: code 2001, its own tid and time, the cancelled amount. */
export function cancellationRecord(approval: Approval, cancellation: Cancellation): TransactionRecordFields {
  return record(approval, {
    resultCd: CANCEL_SUCCESS,
    resultMsg: describeResult(CANCEL_SUCCESS).message,
    goodsAmt: String(cancellation.amount),
    appDtm: cancellation.ccDtm,
    cancelYN: 'Y',
    tid: cancellation.tid,
  });
}

function record(
  approval: Approval,
  own: { resultCd: string; resultMsg: string; goodsAmt: string; appDtm: string; cancelYN: string; tid: string },
): TransactionRecordFields {
  const card = approval.card;
  return {
    resultCd: own.resultCd,
    resultMsg: own.resultMsg,
    goodsName: approval.goodsName,
    ordNo: approval.ordNo,
    goodsAmt: own.goodsAmt,
    appNo: approval.appNo,
    appDtm: own.appDtm,
    ordNm: approval.ordNm,
    cancelYN: own.cancelYN,
    fnNm: card?.fnNm ?? '',
    appCardCd: card?.cpCd ?? '',
    acqCardCd: card?.cpCd ?? '',
    cardNo: card?.cardNoMasked ?? '',
    mid: approval.mid,
    tid: own.tid,
    currencyType: 'KRW',
    mbsReserved: approval.mbsReserved ?? '',
    cpCd: card?.cpCd ?? '',
  };
}
