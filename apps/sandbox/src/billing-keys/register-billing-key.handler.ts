import { Injectable } from '@nestjs/common';
import { cardCompanyName } from '@app/paystory/catalogue/card-companies';
import { FIXED_VALUES } from '@app/paystory/endpoints/endpoint-catalogue';
import type { PaystorySigner, SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { judgeCardNumber } from '../cards/card-behaviour';
import { maskBuyerTel, maskCardNumber, maskName } from '../cards/masking';
import { IdIssuer } from '../ids/id-issuer.service';
import { gatewayAnswer, OTHER_ERROR, type GatewayAnswer } from '../protocol/gateway-answer';
import { GatewayClock } from '../protocol/gateway-clock.service';
import type { EndpointHandler, GatewayCall } from '../protocol/gateway-endpoint.runner';
import { refuseUnfixedValues } from '../protocol/fixed-value.check';
import { BILLING_KEY_ISSUED } from '../transactions/result-codes';
import { BillingKeyStore } from './billing-key.store';

/** §12.2 codes for card data the sandbox can tell is wrong without a card company. */
const WRONG_CARD_NUMBER = '3011';
const WRONG_EXPIRY = '3021';
const MISSING_IDENTITY = '3026';

/**
 * `POST /payment.registBill` (§14): issues a card billing key from card data. The card data is
 * judged once and dropped: only the masked number and the card's behaviour are kept.
 */
@Injectable()
export class RegisterBillingKeyHandler implements EndpointHandler {
  readonly endpoint = 'registerBillingKey' as const;
  readonly hashField = 'encData' as const;

  constructor(
    private readonly keys: BillingKeyStore,
    private readonly ids: IdIssuer,
    private readonly clock: GatewayClock,
  ) {}

  expectedHash(signer: PaystorySigner, merchant: SigningMerchant, fields: Record<string, string>): string {
    return signer.issuance(merchant, fields.ediDate, fields.goodsAmt);
  }

  process({ fields, merchant }: GatewayCall): GatewayAnswer {
    const echo = { mid: merchant.mid, payMethod: 'CARD', ordNo: fields.ordNo };
    if (fields.PayMethod !== 'CARD')
      return gatewayAnswer(OTHER_ERROR, echo, `PayMethod: 카드 빌키 발급은 "CARD"만 가능합니다`);
    const unfixed = refuseUnfixedValues(
      fields,
      {
        trxCd: FIXED_VALUES.trxCd,
        goodsAmt: FIXED_VALUES.issuanceGoodsAmt,
        quotaMon: FIXED_VALUES.issuanceQuotaMon,
        noIntFlg: FIXED_VALUES.noIntFlg,
        pointFlg: FIXED_VALUES.pointFlg,
        reqType: FIXED_VALUES.reqType,
      },
      echo,
    );
    if (unfixed) return unfixed;
    const fnNm = cardCompanyName(fields.cpCd);
    if (!fnNm) return gatewayAnswer(OTHER_ERROR, echo, `cpCd: 알 수 없는 카드사 코드입니다 (${fields.cpCd})`);
    if (fields.cardTypeCd !== '01' && fields.cardTypeCd !== '02')
      return gatewayAnswer(OTHER_ERROR, echo, 'cardTypeCd: 01(개인) 또는 02(법인)이어야 합니다');
    const cardProblem = this.cardDataProblem(fields);
    if (cardProblem) return gatewayAnswer(cardProblem, echo);

    const verdict = judgeCardNumber(fields.cardNo);
    if (!verdict.accepted) return gatewayAnswer(verdict.code, echo);

    const bid = this.ids.billingKey(merchant.mid);
    const appDtm = this.clock.stamp();
    const cardNoMasked = maskCardNumber(fields.cardNo);
    this.keys.add({
      bid,
      mid: merchant.mid,
      payMethod: 'CARD',
      status: 'active',
      ordNo: fields.ordNo,
      ordNm: fields.ordNm,
      ordTel: fields.ordTel,
      issuedAt: appDtm,
      card: { cardNoMasked, cpCd: fields.cpCd, fnNm, cardType: '0', behaviour: verdict.behaviour },
    });
    return gatewayAnswer(BILLING_KEY_ISSUED, {
      mid: merchant.mid,
      payMethod: 'CARD',
      bid,
      appDtm,
      appCardCd: fields.cpCd,
      ordNo: fields.ordNo,
      ordTel: maskBuyerTel(fields.ordTel),
      fnNm,
      ordNm: maskName(fields.ordNm),
      cardNo: cardNoMasked,
    });
  }

  /** Shape checks a card company would make: number length, a real month, a 6-digit birth date or 10-digit business number. */
  private cardDataProblem(fields: Record<string, string>): string | undefined {
    if (fields.cardNo.length < 13 || fields.cardNo.length > 19) return WRONG_CARD_NUMBER;
    const month = Number(fields.expireYymm.slice(2));
    if (fields.expireYymm.length !== 4 || month < 1 || month > 12) return WRONG_EXPIRY;
    const identityLength = fields.cardTypeCd === '01' ? 6 : 10;
    if (fields.ordAuthNo.length !== identityLength) return MISSING_IDENTITY;
    return undefined;
  }
}
