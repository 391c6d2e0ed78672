import { Injectable } from '@nestjs/common';
import type { PaystoryCharset } from '@app/paystory/charset/charset';
import { taxableSplit, type VatAmounts } from '@app/paystory/vat/vat-amounts';
import type { StoredCard } from '../billing-keys/billing-key.store';
import { IdIssuer, type IssuedPayMethod } from '../ids/id-issuer.service';
import { NotificationSender } from '../notifications/notification-sender.service';
import { gatewayAnswer, type GatewayAnswer } from '../protocol/gateway-answer';
import { GatewayClock } from '../protocol/gateway-clock.service';
import { approvalCode } from '../transactions/result-codes';
import { TransactionStore, type Approval } from '../transactions/transaction.store';

/** What is charged: a billing key's card or phone. */
export interface PaymentMeans {
  payMethod: IssuedPayMethod;
  bid?: string;
  card?: StoredCard;
  phoneMasked?: string;
}

/** The order as the merchant described it. */
export interface OrderDetails {
  ordNo: string;
  goodsName: string;
  amount: number;
  ordNm: string;
  ordTel: string;
  ordEmail?: string;
  mbsUsrId?: string;
  mbsReserved?: string;
  quota: string;
  notiUrl?: string;
  /** The split the charge sent or the gateway made; a taxable split of the amount when absent (phone issuance). */
  vat?: VatAmounts;
}

/**
 * Makes an approval (a billing-key charge, or phone billing's first charge at issuance, §3.1.3):
 * issues its tid and approval number, records it and notifies the merchant (§10).
 */
@Injectable()
export class ApprovalMaker {
  constructor(
    private readonly ids: IdIssuer,
    private readonly clock: GatewayClock,
    private readonly transactions: TransactionStore,
    private readonly notifications: NotificationSender,
  ) {}

  approve(
    mid: string,
    charset: PaystoryCharset,
    means: PaymentMeans,
    order: OrderDetails,
    tid = this.ids.tid(mid, means.payMethod, 'approval'),
  ): Approval {
    const approval: Approval = {
      ...order,
      tid,
      mid,
      payMethod: means.payMethod,
      bid: means.bid,
      card: means.card,
      phoneMasked: means.phoneMasked,
      remaining: order.amount,
      vat: order.vat ?? taxableSplit(order.amount),
      vatRemaining: order.vat ?? taxableSplit(order.amount),
      appNo: this.ids.approvalNo(),
      appDtm: this.clock.stamp(),
      notiUrl: order.notiUrl || undefined,
      charset,
      cancelTids: [],
    };
    this.transactions.addApproval(approval);
    this.notifications.notifyApproval(approval);
    return approval;
  }

  /** The §5.4 answer for an approval. */
  chargeAnswer(approval: Approval): GatewayAnswer {
    const card = approval.card;
    return gatewayAnswer(approvalCode(approval.payMethod), {
      payMethod: approval.payMethod,
      tid: approval.tid,
      mid: approval.mid,
      appDtm: approval.appDtm,
      appNo: approval.appNo,
      ordNo: approval.ordNo,
      goodsName: approval.goodsName,
      amt: String(approval.amount),
      ordNm: approval.ordNm,
      cancelYN: 'N',
      appCardCd: card?.cpCd ?? '',
      acqCardCd: card?.cpCd ?? '',
      quota: approval.quota,
      cardType: card?.cardType ?? '',
      sochpNo: approval.phoneMasked ?? '',
      cardNo: card?.cardNoMasked ?? '',
      mbsUsrId: approval.mbsUsrId ?? '',
      fnNm: card?.fnNm ?? '',
      mbsReserved: approval.mbsReserved ?? '',
    });
  }
}
