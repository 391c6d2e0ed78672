import type { PaymentRecord } from '../payment/payment-query.service';
import { storedParts } from '../payment/vat/payment-parts';
import { vatPartsView } from '../payment/payment.view';
import type { SubscriptionChargeEntity } from './entities/subscription-charge.entity';
import type { SubscriptionEntity } from './entities/subscription.entity';

/** The public shape of a subscription (CONTRACT.md "Subscriptions"). */
export function subscriptionView(s: SubscriptionEntity) {
  return {
    id: s.id,
    customerId: s.customerId,
    billingKeyId: s.billingKeyId,
    amount: s.amount,
    currency: 'KRW',
    goodsName: s.goodsName,
    vatAmounts: vatPartsView(storedParts(s)),
    interval: s.interval,
    anchorDay: s.anchorDay,
    startAt: s.startAt.toISOString(),
    status: s.status,
    statusReason: s.statusReason,
    currentPeriod: s.periodIndex,
    retryAttempt: s.attempt,
    nextChargeAt: s.nextChargeAt ? s.nextChargeAt.toISOString() : null,
    cancelledAt: s.cancelledAt ? s.cancelledAt.toISOString() : null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export type SubscriptionView = ReturnType<typeof subscriptionView>;

export function subscriptionChargeView(c: SubscriptionChargeEntity, payment?: PaymentRecord | null) {
  return {
    id: c.id,
    period: c.periodIndex,
    attempt: c.attempt,
    periodStart: c.periodStart.toISOString(),
    periodEnd: c.periodEnd.toISOString(),
    orderId: c.orderId,
    status: c.status,
    failureCode: c.failureCode,
    paymentId: c.paymentId,
    amount: payment?.amount ?? null,
    paymentStatus: payment?.status ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}
