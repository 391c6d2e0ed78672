import { Injectable } from '@nestjs/common';
import { FIXED_VALUES } from '@app/paystory/endpoints/endpoint-catalogue';
import type { PaystorySigner, SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { BillingKeyStore, type StoredBillingKey } from '../billing-keys/billing-key.store';
import { MerchantDirectory } from '../config/merchant-directory.service';
import { gatewayAnswer, OTHER_ERROR, type GatewayAnswer } from '../protocol/gateway-answer';
import type { EndpointHandler, GatewayCall } from '../protocol/gateway-endpoint.runner';
import { refuseUnfixedValues } from '../protocol/fixed-value.check';
import { NO_SUCH_BILLING_KEY } from '../transactions/result-codes';
import { TransactionStore } from '../transactions/transaction.store';
import { chargeSplit, isVatRefusal } from '../transactions/vat-split';
import { ApprovalMaker } from './approval-maker.service';

/** §12.2: card charges under 1,000 KRW, instalments under 50,000 KRW, instalment months out of range. */
const AMOUNT_TOO_SMALL = '3041';
const INSTALMENT_UNDER_50000 = '3024';
const WRONG_INSTALMENT = '3022';
const MIN_CARD_AMOUNT = 1_000;
const MIN_INSTALMENT_AMOUNT = 50_000;
const MAX_INSTALMENT_MONTHS = 12;

/**
 * `POST /payment.doBill` (§5): charges a billing key. Phone billing's "same amount, same day each
 * month" rule (§3.3.4) is the merchant's to keep; the sandbox does not enforce it.
 */
@Injectable()
export class ChargeHandler implements EndpointHandler {
  readonly endpoint = 'charge' as const;
  readonly hashField = 'encData' as const;
  readonly amountField = 'goodsAmt' as const;

  constructor(
    private readonly keys: BillingKeyStore,
    private readonly transactions: TransactionStore,
    private readonly approvals: ApprovalMaker,
    private readonly merchants: MerchantDirectory,
  ) {}

  expectedHash(signer: PaystorySigner, merchant: SigningMerchant, fields: Record<string, string>): string {
    return signer.charge(merchant, fields.ediDate, fields.goodsAmt);
  }

  process(call: GatewayCall): GatewayAnswer {
    const { fields, merchant } = call;
    const amount = Number(fields.goodsAmt);
    const echo = refusalEcho(call);
    const unfixed = refuseUnfixedValues(
      fields,
      { trxCd: FIXED_VALUES.trxCd, noIntFlg: FIXED_VALUES.noIntFlg, pointFlg: FIXED_VALUES.pointFlg },
      echo,
    );
    if (unfixed) return unfixed;
    const key = this.keys.findActive(merchant.mid, fields.bid);
    if (!key) return gatewayAnswer(NO_SUCH_BILLING_KEY, echo);
    if (fields.PayMethod !== key.payMethod)
      return gatewayAnswer(OTHER_ERROR, echo, `PayMethod: 빌키의 결제수단(${key.payMethod})과 다릅니다`);
    // An order number names one payment; a declined attempt does not use it up.
    if (this.transactions.approvalByOrderNo(merchant.mid, fields.ordNo))
      return gatewayAnswer(OTHER_ERROR, echo, `ordNo: 중복 주문번호입니다 (${fields.ordNo})`);
    if (key.payMethod === 'PHONE' && amount <= 0)
      return gatewayAnswer(OTHER_ERROR, echo, 'goodsAmt: 0원은 결제할 수 없습니다');
    const refusal = key.payMethod === 'CARD' ? this.cardRefusal(key, amount, fields.quotaMon) : undefined;
    if (refusal) return gatewayAnswer(refusal, echo);
    const vat = chargeSplit(fields, this.merchants.vatMode(merchant.mid));
    if (isVatRefusal(vat)) return gatewayAnswer(vat.code, echo, vat.message);
    const approval = this.approvals.approve(
      merchant.mid,
      call.charset,
      { payMethod: key.payMethod, bid: key.bid, card: key.card, phoneMasked: key.phoneMasked },
      {
        ordNo: fields.ordNo,
        goodsName: fields.goodsNm,
        amount,
        ordNm: fields.ordNm,
        ordTel: fields.ordTel,
        ordEmail: fields.ordEmail,
        mbsUsrId: fields.mbsUsrId,
        mbsReserved: fields.mbsReserved,
        quota: fields.quotaMon,
        notiUrl: fields.notiUrl,
        vat,
      },
    );
    return this.approvals.chargeAnswer(approval);
  }

  /** The `decline` fault: the card company refuses this charge, whatever the key and amount. */
  decline(call: GatewayCall, code: string): GatewayAnswer {
    return gatewayAnswer(code, refusalEcho(call));
  }

  private cardRefusal(key: StoredBillingKey, amount: number, quotaMon: string): string | undefined {
    if (amount < MIN_CARD_AMOUNT) return AMOUNT_TOO_SMALL;
    if (Number(quotaMon) > MAX_INSTALMENT_MONTHS || quotaMon.length !== 2) return WRONG_INSTALMENT;
    if (quotaMon !== '00' && amount < MIN_INSTALMENT_AMOUNT) return INSTALMENT_UNDER_50000;
    const behaviour = key.card?.behaviour;
    return behaviour?.kind === 'decline' ? behaviour.code : undefined;
  }
}

/** What a refused charge answers besides its code (§5.4 fields the merchant sent). */
function refusalEcho({ fields, merchant }: GatewayCall): Record<string, string> {
  return {
    payMethod: fields.PayMethod,
    mid: merchant.mid,
    ordNo: fields.ordNo,
    goodsName: fields.goodsNm,
    amt: fields.goodsAmt,
    ordNm: fields.ordNm,
    cancelYN: 'N',
  };
}
