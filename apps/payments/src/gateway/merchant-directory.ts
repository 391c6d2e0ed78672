import { Inject, Injectable } from '@nestjs/common';
import type { PayMethod } from '@app/paystory';
import type { AppConfig, VatMode } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';

/**
 * Which configured merchant (MID) acts for a payment method: a merchant named `phone` for phone
 * billing when there is one, else the first configured merchant.
 */
@Injectable()
export class MerchantDirectory {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  forPayMethod(payMethod: PayMethod): { name: string; mid: string } {
    const merchants = this.config.paystory.merchants;
    const chosen =
      (payMethod === 'PHONE' && merchants.find((m) => m.name === 'phone')) ||
      merchants.find((m) => m.name !== 'phone') ||
      merchants[0];
    return { name: chosen.name, mid: chosen.mid };
  }

  /** The named merchant's VAT setting at the gateway; the default (PAYSTORY_VAT_MODE) for a name no longer configured. */
  vatMode(name: string): VatMode {
    return this.config.paystory.merchants.find((m) => m.name === name)?.vatMode ?? this.config.paystory.vatMode;
  }

  byMid(mid: string): { name: string; mid: string } | undefined {
    const found = this.config.paystory.merchants.find((m) => m.mid === mid);
    return found && { name: found.name, mid: found.mid };
  }
}
