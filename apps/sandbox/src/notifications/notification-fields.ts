import type { SigningMerchant, PaystorySigner } from '@app/paystory/signer/paystory-signer';
import { describeResult } from '@app/paystory/catalogue/result-codes';
import type { Approval, Cancellation } from '../transactions/transaction.store';
import { approvalCode, CANCEL_SUCCESS } from '../transactions/result-codes';

/**
 * The §10 fields of a back-end notification for an approval, or for one cancel of it (then
 * `goodsAmt` is the cancelled amount, `tid` the cancel's own, `oTid` the original, NOTES item 13).
 * `hashStr` = mid + ediDate + goodsAmt + key (NOTES item 4).
 */
export function notificationFields(
  signer: PaystorySigner,
  merchant: SigningMerchant,
  ediDate: string,
  approval: Approval,
  cancellation?: Cancellation,
): Record<string, string> {
  const goodsAmt = String(cancellation ? cancellation.amount : approval.amount);
  const resultCd = cancellation ? CANCEL_SUCCESS : approvalCode(approval.payMethod);
  const common: Record<string, string> = {
    appDtm: approval.appDtm,
    cancelYN: cancellation ? 'Y' : 'N',
    currencyType: 'KRW',
    ediDate,
    goodsAmt,
    goodsName: approval.goodsName,
    hashStr: signer.notification(merchant, ediDate, goodsAmt),
    mbsReserved: approval.mbsReserved ?? '',
    mbsUsrId: approval.mbsUsrId ?? '',
    mid: approval.mid,
    ordNm: approval.ordNm,
    ordNo: approval.ordNo,
    oTid: approval.tid,
    payMethod: approval.payMethod,
    resultCd,
    resultMsg: describeResult(resultCd).message,
    tid: cancellation ? cancellation.tid : approval.tid,
    ...(cancellation ? { ccDtm: cancellation.ccDtm } : {}),
  };
  if (approval.card) {
    return {
      ...common,
      acqCardCd: approval.card.cpCd,
      appCardCd: approval.card.cpCd,
      appNo: approval.appNo,
      authType: '01',
      cardNo: approval.card.cardNoMasked,
      cardType: approval.card.cardType,
      cpCd: approval.card.cpCd,
      fnNm: approval.card.fnNm,
      quota: approval.quota,
      usePointAmt: '0',
    };
  }
  return { ...common, socHpNo: approval.phoneMasked ?? '' };
}
