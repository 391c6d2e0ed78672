import type { CancellationEntity } from './entities/cancellation.entity';
import { PaymentEntity } from './entities/payment.entity';
import { cancelledParts, storedParts } from './vat/payment-parts';
import { subtractParts, type VatParts } from './vat/vat-parts';

/** The public shape of a payment (CONTRACT.md "Payments"); with its cancellations when they are given. */
export function paymentView(p: PaymentEntity, cancellations?: CancellationEntity[]) {
  return {
    id: p.id,
    orderId: p.orderId,
    tid: p.tid,
    status: p.status,
    amount: p.amount,
    cancelledAmount: p.cancelledAmount,
    cancellableAmount: cancellableAmount(p),
    currency: 'KRW',
    approvalNo: p.approvalNo,
    approvedAt: p.approvedAt ? p.approvedAt.toISOString() : null,
    installmentMonths: p.installmentMonths,
    goodsName: p.goodsName,
    billingKeyId: p.billingKeyId,
    customerId: p.customerId,
    customerRef: p.customerRef,
    metadata: p.metadata,
    payMethod: p.payMethod,
    card:
      p.cardMasked || p.cardIssuerCode
        ? {
            masked: p.cardMasked,
            issuerCode: p.cardIssuerCode,
            issuerName: p.cardIssuerName,
            acquirerCode: p.cardAcquirerCode,
            type: p.cardType,
          }
        : null,
    failure: p.failureCode ? { code: p.failureCode, message: p.failureMessage, category: p.failureCategory } : null,
    vatAmounts: paymentVatView(p),
    cancellations: cancellations?.map(cancellationView),
    needsAttention: p.needsAttention,
    attentionReason: p.attentionReason,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export type PaymentView = ReturnType<typeof paymentView>;

/** What may still be refunded: nothing unless the approval is known. */
export function cancellableAmount(
  p: Pick<PaymentEntity, 'status' | 'amount' | 'cancelledAmount' | 'pendingCancelAmount'>,
): number {
  return p.status === 'APPROVED' || p.status === 'PARTIALLY_CANCELLED'
    ? p.amount - p.cancelledAmount - p.pendingCancelAmount
    : 0;
}

/** The HTTP status a charge answers with, by the payment's state (CONTRACT.md). */
export function chargeHttpStatus(p: Pick<PaymentEntity, 'status'>): number {
  if (p.status === 'UNKNOWN' || p.status === 'PENDING') return 202;
  if (p.status === 'DECLINED') return 422;
  return 201;
}

export function cancellationView(c: CancellationEntity) {
  return {
    id: c.id,
    tid: c.tid,
    amount: c.amount,
    partial: c.partial,
    status: c.status,
    reason: c.reason,
    source: c.source,
    cancelledAt: c.cancelledAt ? c.cancelledAt.toISOString() : null,
    vatAmounts: vatPartsView(storedParts(c)),
    failure: c.failureCode ? { code: c.failureCode, message: c.failureMessage } : null,
  };
}

/** A VAT split in the API's names (the request fields' names). */
function partsView(parts: VatParts) {
  return {
    supplyAmount: parts.supply,
    vatAmount: parts.vat,
    serviceAmount: parts.service,
    taxFreeAmount: parts.taxFree,
  };
}

/** A cancel's share of the split, or null when it has none. */
export function vatPartsView(parts: VatParts | undefined) {
  return parts ? partsView(parts) : null;
}

/** A payment's split, what confirmed cancels took of each part and what is left; null when the payment has none. */
export function paymentVatView(p: PaymentEntity) {
  const parts = storedParts(p);
  if (!parts) return null;
  const cancelled = cancelledParts(p);
  return {
    ...partsView(parts),
    cancelled: partsView(cancelled),
    remaining: partsView(subtractParts(parts, cancelled)),
  };
}
