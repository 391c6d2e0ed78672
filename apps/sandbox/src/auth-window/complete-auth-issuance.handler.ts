import { Injectable } from '@nestjs/common';
import { PaystorySigner, type SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { BillingKeyStore } from '../billing-keys/billing-key.store';
import { maskBuyerTel, maskName } from '../cards/masking';
import { ApprovalMaker } from '../charges/approval-maker.service';
import type { CallOrder } from '../faults/fault.types';
import { IdIssuer } from '../ids/id-issuer.service';
import { gatewayAnswer, OTHER_ERROR, type GatewayAnswer } from '../protocol/gateway-answer';
import { GatewayClock } from '../protocol/gateway-clock.service';
import type { EndpointHandler, GatewayCall } from '../protocol/gateway-endpoint.runner';
import { BILLING_KEY_ISSUED, PHONE_APPROVED } from '../transactions/result-codes';
import { AuthSessionStore, type AuthSession } from './auth-session.store';

/** §12.3: this authentication already produced its billing key. */
const ALREADY_ISSUED = 'F007';

/**
 * `POST /payment.do` (§4.3): turns a finished auth window into a billing key. A card key charges
 * nothing; a phone key charges the window's `goodsAmt` at once (§3.1.3) and the answer carries
 * that payment's tid and approval number.
 */
@Injectable()
export class CompleteAuthIssuanceHandler implements EndpointHandler {
  readonly endpoint = 'completeAuthIssuance' as const;
  readonly hashField = 'encData' as const;

  constructor(
    private readonly sessions: AuthSessionStore,
    private readonly keys: BillingKeyStore,
    private readonly ids: IdIssuer,
    private readonly clock: GatewayClock,
    private readonly approvals: ApprovalMaker,
    private readonly signer: PaystorySigner,
  ) {}

  expectedHash(signer: PaystorySigner, merchant: SigningMerchant, fields: Record<string, string>): string {
    // The encData of the auth request itself (§4.3 "인증요청시 값").
    return signer.issuance(merchant, fields.ediDate, fields.goodsAmt);
  }

  /** The request carries only the auth `tid`; its order number is the auth request's. */
  orderOf(fields: Record<string, string>): CallOrder {
    return { ordNo: this.sessions.session(fields.tid)?.ordNo, tid: fields.tid || undefined };
  }

  process({ fields, merchant }: GatewayCall): GatewayAnswer {
    const session = this.sessions.session(fields.tid);
    const echo = { mid: merchant.mid, tid: fields.tid };
    if (!session || session.mid !== merchant.mid || !this.signer.matches(session.signData, fields.signData)) {
      return gatewayAnswer(OTHER_ERROR, echo, 'tid/signData: 인증 결과와 일치하지 않습니다');
    }
    if (session.goodsAmt !== fields.goodsAmt || session.ediDate !== fields.ediDate) {
      return gatewayAnswer(OTHER_ERROR, echo, 'goodsAmt/ediDate: 인증 요청 값과 다릅니다');
    }
    if (session.completed)
      return gatewayAnswer(ALREADY_ISSUED, { ...echo, payMethod: session.payMethod, ordNo: session.ordNo });
    session.completed = true;
    return session.payMethod === 'CARD' ? this.issueCard(session, merchant) : this.issuePhone(session, merchant);
  }

  private issueCard(session: AuthSession, merchant: SigningMerchant): GatewayAnswer {
    const bid = this.ids.billingKey(merchant.mid);
    const appDtm = this.clock.stamp();
    this.keys.add({
      bid,
      mid: merchant.mid,
      payMethod: 'CARD',
      status: 'active',
      ordNo: session.ordNo,
      ordNm: session.ordNm,
      ordTel: session.ordTel,
      issuedAt: appDtm,
      card: session.card,
    });
    return gatewayAnswer(BILLING_KEY_ISSUED, {
      ...this.common(session, merchant, appDtm, bid),
      fnNm: session.card?.fnNm ?? '',
      appCardCd: session.card?.cpCd ?? '',
      acqCardCd: session.card?.cpCd ?? '',
      cardNo: session.card?.cardNoMasked ?? '',
    });
  }

  private issuePhone(session: AuthSession, merchant: SigningMerchant): GatewayAnswer {
    const bid = this.ids.billingKey(merchant.mid);
    const approval = this.approvals.approve(
      merchant.mid,
      session.charset,
      { payMethod: 'PHONE', bid, phoneMasked: session.phoneMasked },
      {
        ordNo: session.ordNo,
        goodsName: session.goodsNm,
        amount: Number(session.goodsAmt),
        ordNm: session.ordNm,
        ordTel: session.ordTel,
        ordEmail: session.ordEmail,
        mbsReserved: session.mbsReserved,
        quota: '00',
      },
      session.tid,
    );
    this.keys.add({
      bid,
      mid: merchant.mid,
      payMethod: 'PHONE',
      status: 'active',
      ordNo: session.ordNo,
      ordNm: session.ordNm,
      ordTel: session.ordTel,
      issuedAt: approval.appDtm,
      phoneMasked: session.phoneMasked,
    });
    return gatewayAnswer(PHONE_APPROVED, {
      ...this.common(session, merchant, approval.appDtm, bid),
      tid: approval.tid,
      ediDate: session.ediDate,
      goodsName: session.goodsNm,
      amt: session.goodsAmt,
      cancelYN: 'N',
      sochpNo: session.phoneMasked ?? '',
      mbsReserved: session.mbsReserved ?? '',
      appNo: approval.appNo,
    });
  }

  private common(session: AuthSession, merchant: SigningMerchant, appDtm: string, bid: string): Record<string, string> {
    return {
      payMethod: session.payMethod,
      mid: merchant.mid,
      appDtm,
      ordNo: session.ordNo,
      ordNm: maskName(session.ordNm),
      // The guide gives no recipe for this hashStr; the sandbox signs the answer like a notification (NOTES item 4).
      hashStr: this.signer.notification(merchant, session.ediDate, session.goodsAmt),
      bid,
      ordTel: maskBuyerTel(session.ordTel),
      mbsUsrId: '',
    };
  }
}
