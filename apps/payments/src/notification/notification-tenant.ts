import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { PaystoryNotification } from '@app/paystory';
import { Repository } from 'typeorm';
import { BillingKeyEntity } from '../billing/entities/billing-key.entity';
import { DEFAULT_TENANT_ID } from '../common/auth/principal';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { MerchantDirectory } from '../gateway/merchant-directory';
import { PaymentQueryService, type PaymentGlance } from '../payment/payment-query.service';

/**
 * Whose a gateway notification is: the tenant of the payment it concerns (by order number, else by
 * the approval's tid), else of the billing key issued under its order number, else of its merchant
 * (a MID of one tenant's own), else `default`: the tenant the reconciler gives a payment it finds
 * only at the gateway. The route is public, so this is the only way a notification finds its tenant.
 */
@Injectable()
export class NotificationTenant {
  constructor(
    private readonly payments: PaymentQueryService,
    @InjectRepository(BillingKeyEntity, PAYMENTS_DATA_SOURCE) private readonly keys: Repository<BillingKeyEntity>,
    private readonly merchants: MerchantDirectory,
  ) {}

  /** The tenant, and the payment it was found by (the applier's first look at what is known). */
  async of(n: PaystoryNotification): Promise<{ tenantId: string; payment: PaymentGlance | null }> {
    const payment =
      (n.orderNo ? await this.payments.glanceByOrderId(n.orderNo) : null) ??
      (n.originalTid ? await this.payments.glanceByTid(n.originalTid) : null) ??
      (await this.payments.glanceByTid(n.tid));
    if (payment) return { tenantId: payment.tenantId, payment };
    const key = n.orderNo ? await this.keys.findOneBy({ orderNo: n.orderNo }) : null;
    return { tenantId: key?.tenantId ?? this.merchants.tenantOfMid(n.mid) ?? DEFAULT_TENANT_ID, payment: null };
  }
}
