import type { CancellationEntity } from '../entities/cancellation.entity';
import type { PaymentEntity } from '../entities/payment.entity';
import { NO_PARTS, subtractParts, type VatParts } from './vat-parts';

type PartColumns = Pick<PaymentEntity, 'supplyAmount' | 'vatAmount' | 'serviceAmount' | 'taxFreeAmount'>;
type CancelledColumns = Pick<
  PaymentEntity,
  'cancelledSupplyAmount' | 'cancelledVatAmount' | 'cancelledServiceAmount' | 'cancelledTaxFreeAmount'
>;

/** The split stored on a payment or a cancellation; undefined when there is none. */
export function storedParts(row: PartColumns | Pick<CancellationEntity, keyof PartColumns>): VatParts | undefined {
  if (row.supplyAmount === null || row.supplyAmount === undefined) return undefined;
  return {
    supply: row.supplyAmount,
    vat: row.vatAmount ?? 0,
    service: row.serviceAmount ?? 0,
    taxFree: row.taxFreeAmount ?? 0,
  };
}

/** The columns that store a split (all null without one). */
export function partColumns(parts: VatParts | undefined): PartColumns {
  return {
    supplyAmount: parts?.supply ?? null,
    vatAmount: parts?.vat ?? null,
    serviceAmount: parts?.service ?? null,
    taxFreeAmount: parts?.taxFree ?? null,
  };
}

/** What confirmed cancels took of a payment's split. */
export function cancelledParts(p: CancelledColumns): VatParts {
  return {
    supply: p.cancelledSupplyAmount ?? 0,
    vat: p.cancelledVatAmount ?? 0,
    service: p.cancelledServiceAmount ?? 0,
    taxFree: p.cancelledTaxFreeAmount ?? 0,
  };
}

/** The columns of what cancels took; null while the payment has no split. */
export function cancelledColumns(parts: VatParts | undefined): CancelledColumns {
  return {
    cancelledSupplyAmount: parts?.supply ?? null,
    cancelledVatAmount: parts?.vat ?? null,
    cancelledServiceAmount: parts?.service ?? null,
    cancelledTaxFreeAmount: parts?.taxFree ?? null,
  };
}

/**
 * What a new cancel may still take of each part: the split minus what confirmed cancels took and
 * what cancels still awaiting their answer hold (their shares, like their amounts, stay reserved).
 */
export function partsLeft(payment: PaymentEntity, inFlight: readonly CancellationEntity[]): VatParts | undefined {
  const parts = storedParts(payment);
  if (!parts) return undefined;
  const reserved = inFlight.map((c) => storedParts(c) ?? NO_PARTS);
  return reserved.reduce(subtractParts, subtractParts(parts, cancelledParts(payment)));
}
