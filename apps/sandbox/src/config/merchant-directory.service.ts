import { Inject, Injectable } from '@nestjs/common';
import type { SigningMerchant } from '@app/paystory/signer/paystory-signer';
import { SANDBOX_SETTINGS, type SandboxSettings } from './sandbox-settings';

/** The merchants "registered" with the sandbox gateway, looked up by MID. */
@Injectable()
export class MerchantDirectory {
  private readonly byMid: ReadonlyMap<string, SigningMerchant>;

  constructor(@Inject(SANDBOX_SETTINGS) settings: SandboxSettings) {
    this.byMid = new Map(settings.merchants.map((m) => [m.mid, { mid: m.mid, merchantKey: m.merchantKey }]));
  }

  find(mid: string | undefined): SigningMerchant | undefined {
    return mid === undefined ? undefined : this.byMid.get(mid);
  }
}
