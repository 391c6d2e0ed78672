import { Inject, Injectable } from '@nestjs/common';
import type { SigningMerchant } from '@app/paystory/signer/paystory-signer';
import type { SandboxVatMode } from '../transactions/vat-split';
import { SANDBOX_SETTINGS, type SandboxSettings } from './sandbox-settings';

/** The merchants "registered" with the sandbox gateway, looked up by MID. */
@Injectable()
export class MerchantDirectory {
  private readonly byMid: ReadonlyMap<string, SigningMerchant>;
  private readonly vatModes: ReadonlyMap<string, SandboxVatMode>;

  constructor(@Inject(SANDBOX_SETTINGS) settings: SandboxSettings) {
    this.byMid = new Map(settings.merchants.map((m) => [m.mid, { mid: m.mid, merchantKey: m.merchantKey }]));
    this.vatModes = new Map(settings.merchants.map((m) => [m.mid, m.vatMode]));
  }

  /** The merchant's VAT setting: whether each charge and cancel must send its split. */
  vatMode(mid: string): SandboxVatMode {
    return this.vatModes.get(mid) ?? 'gateway';
  }

  find(mid: string | undefined): SigningMerchant | undefined {
    return mid === undefined ? undefined : this.byMid.get(mid);
  }
}
