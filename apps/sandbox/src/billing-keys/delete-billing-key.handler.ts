import { Injectable } from '@nestjs/common';
import type { PaystorySigner, SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { gatewayAnswer, type GatewayAnswer } from '../protocol/gateway-answer';
import { GatewayClock } from '../protocol/gateway-clock.service';
import type { EndpointHandler, GatewayCall } from '../protocol/gateway-endpoint.runner';
import { BILLING_KEY_DELETED, NO_SUCH_BILLING_KEY } from '../transactions/result-codes';
import { BillingKeyStore } from './billing-key.store';

/** `POST /payment.deleteBill` (§6): deletes a key for good; deleting it again is F002 (§3.5). */
@Injectable()
export class DeleteBillingKeyHandler implements EndpointHandler {
  readonly endpoint = 'deleteBillingKey' as const;
  readonly hashField = 'encData' as const;

  constructor(
    private readonly keys: BillingKeyStore,
    private readonly clock: GatewayClock,
  ) {}

  expectedHash(signer: PaystorySigner, merchant: SigningMerchant, fields: Record<string, string>): string {
    return signer.deleteBillingKey(merchant, fields.ediDate, fields.bid);
  }

  process({ fields, merchant }: GatewayCall): GatewayAnswer {
    const appDtm = this.clock.stamp();
    const key = this.keys.findActive(merchant.mid, fields.bid);
    if (!key) return gatewayAnswer(NO_SUCH_BILLING_KEY, { appDtm, mid: merchant.mid, bid: fields.bid });
    key.status = 'deleted';
    key.deletedAt = appDtm;
    return gatewayAnswer(BILLING_KEY_DELETED, { appDtm, mid: merchant.mid, bid: fields.bid });
  }
}
