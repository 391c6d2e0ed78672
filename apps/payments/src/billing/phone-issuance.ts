import type { FindOptionsWhere } from 'typeorm';
import type { PaymentEntity } from '../payment/entities/payment.entity';
import type { BillingKeyEntity } from './entities/billing-key.entity';

/**
 * The payment a phone key's issuance made (§3.1.3): stored with the key, under the registration's
 * own order number (IssuancePaymentRecorder). A key without an order number has none to find.
 */
export function issuancePaymentOf(key: Pick<BillingKeyEntity, 'id' | 'orderNo'>): FindOptionsWhere<PaymentEntity> {
  return { billingKeyId: key.id, orderId: key.orderNo ?? '' };
}
