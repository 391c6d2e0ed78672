import { Injectable } from '@nestjs/common';
import type { PaystorySigner, SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { gatewayAnswer, OTHER_ERROR, type GatewayAnswer } from '../protocol/gateway-answer';
import type { CallOrder } from '../faults/fault.types';
import type { EndpointHandler, GatewayCall } from '../protocol/gateway-endpoint.runner';
import { CANCEL_SUCCESS } from '../transactions/result-codes';
import { TransactionStore, type Approval } from '../transactions/transaction.store';
import { cancelSplit, isVatRefusal } from '../transactions/vat-split';
import { MerchantDirectory } from '../config/merchant-directory.service';
import { CancellationMaker } from './cancellation-maker.service';

/** §12.4 codes for a cancel whose transaction cannot be found. */
const NO_SUCH_TRANSACTION = '2012';
const OTHER_MERCHANTS_TRANSACTION = '2019';
const ORDER_NO_MISSING = '0001';
const NO_SUCH_ORDER = '0002';

/**
 * `POST /payment.cancel` (§7): full (`partCanFlg` 0, `canAmt` must be the whole remaining balance)
 * or partial (1). With `ordNoChk` "1" the payment is found by `ordNo` and `tid` is not used (§7.3).
 * The VAT split is checked by the merchant's VAT setting (vat-split.ts).
 */
@Injectable()
export class CancelHandler implements EndpointHandler {
  readonly endpoint = 'cancel' as const;
  readonly hashField = 'encData' as const;
  readonly amountField = 'canAmt' as const;

  constructor(
    private readonly transactions: TransactionStore,
    private readonly cancellations: CancellationMaker,
    private readonly merchants: MerchantDirectory,
  ) {}

  expectedHash(signer: PaystorySigner, merchant: SigningMerchant, fields: Record<string, string>): string {
    return signer.cancel(merchant, fields.ediDate, fields.canAmt);
  }

  /** The approval the cancel names (by `ordNo` with `ordNoChk` 1, else by `tid`), or what the request says of it. */
  orderOf(fields: Record<string, string>): CallOrder {
    const approval =
      fields.ordNoChk === '1'
        ? this.transactions.approvalByOrderNo(fields.mid, fields.ordNo ?? '')
        : this.transactions.approval(fields.tid);
    return { ordNo: approval?.ordNo ?? (fields.ordNo || undefined), tid: approval?.tid ?? (fields.tid || undefined) };
  }

  process({ fields, merchant, charset }: GatewayCall): GatewayAnswer {
    const echo = {
      payMethod: fields.payMethod,
      mid: merchant.mid,
      tid: fields.tid,
      ordNo: fields.ordNo ?? '',
      amt: fields.canAmt,
    };
    if (fields.partCanFlg !== '0' && fields.partCanFlg !== '1')
      return gatewayAnswer(OTHER_ERROR, echo, 'partCanFlg: 0(전체취소) 또는 1(부분취소)이어야 합니다');
    if (fields.ordNoChk !== undefined && fields.ordNoChk !== '' && fields.ordNoChk !== '0' && fields.ordNoChk !== '1') {
      return gatewayAnswer(OTHER_ERROR, echo, 'ordNoChk: 0 또는 1이어야 합니다');
    }
    const found = this.find(merchant.mid, fields);
    if (typeof found === 'string') return gatewayAnswer(found, echo);
    if (fields.payMethod !== found.payMethod)
      return gatewayAnswer(OTHER_ERROR, echo, `payMethod: 원거래의 결제수단(${found.payMethod})과 다릅니다`);

    const request = { amount: Number(fields.canAmt), partial: fields.partCanFlg === '1' };
    const refusal = this.cancellations.refusal(found, request);
    if (refusal) return gatewayAnswer(refusal, { ...echo, oTid: found.tid, ordNo: found.ordNo });
    const vat = cancelSplit(fields, found, this.merchants.vatMode(merchant.mid));
    if (isVatRefusal(vat))
      return gatewayAnswer(vat.code, { ...echo, oTid: found.tid, ordNo: found.ordNo }, vat.message);
    const cancellation = this.cancellations.cancel(found, {
      ...request,
      vat,
      reason: fields.canMsg,
      source: 'api',
      notiUrl: fields.notiUrl,
      charset,
    });
    return gatewayAnswer(CANCEL_SUCCESS, {
      payMethod: found.payMethod,
      oTid: found.tid,
      tid: cancellation.tid,
      appDtm: cancellation.ccDtm,
      ordNo: found.ordNo,
      amt: String(cancellation.amount),
      cancelYN: 'Y',
      mid: merchant.mid,
    });
  }

  /** The approval to cancel, or the §12.4 code saying why there is none. */
  private find(mid: string, fields: Record<string, string>): Approval | string {
    if (fields.ordNoChk === '1') {
      if (!fields.ordNo) return ORDER_NO_MISSING;
      return this.transactions.approvalByOrderNo(mid, fields.ordNo) ?? NO_SUCH_ORDER;
    }
    const approval = this.transactions.approval(fields.tid);
    if (!approval) return NO_SUCH_TRANSACTION;
    return approval.mid === mid ? approval : OTHER_MERCHANTS_TRANSACTION;
  }
}
