import { Inject, Injectable } from '@nestjs/common';
import type { PayMethod } from '@app/paystory';
import { DEFAULT_TENANT_ID } from '../common/auth/principal';
import type { AppConfig, ConfiguredMerchant, VatMode } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';

/**
 * Which configured merchant (MID) acts for a tenant and a payment method. The tenant's own
 * merchants (merchants-file entries with its `tenant`) when it has any, else the merchants without
 * a tenant; among them, the phone merchant for phone billing when there is one, else the first
 * other. The phone merchant is named `phone`, or `<tenant>-phone` among a tenant's own (names are
 * unique across the file).
 */
@Injectable()
export class MerchantDirectory {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  forPayMethod(payMethod: PayMethod, tenantId: string = DEFAULT_TENANT_ID): { name: string; mid: string } {
    const all = this.config.paystory.merchants;
    const own = all.filter((m) => m.tenant === tenantId);
    const merchants = own.length > 0 ? own : all.filter((m) => m.tenant === undefined);
    const chosen =
      (payMethod === 'PHONE' && merchants.find(isPhone)) || merchants.find((m) => !isPhone(m)) || merchants[0];
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

  /** What the named merchant takes: phone billing for a phone merchant, else card. */
  payMethodOf(name: string): PayMethod {
    const merchant = this.config.paystory.merchants.find((m) => m.name === name);
    return merchant && isPhone(merchant) ? 'PHONE' : 'CARD';
  }

  /** The tenant a MID acts for alone (its merchants-file `tenant`); undefined for a shared or unknown MID. */
  tenantOfMid(mid: string): string | undefined {
    return this.config.paystory.merchants.find((m) => m.mid === mid)?.tenant;
  }
}

function isPhone(m: ConfiguredMerchant): boolean {
  return m.name === 'phone' || (m.tenant !== undefined && m.name === `${m.tenant}-phone`);
}
