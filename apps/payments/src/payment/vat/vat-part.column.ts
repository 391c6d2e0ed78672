import { Column } from 'typeorm';
import { moneyTransformer } from '../../database/money.transformer';

/** One part of a VAT split as a column: whole KRW, null when the row has no split. */
export function VatPartColumn(name: string): PropertyDecorator {
  return Column({ name, type: 'bigint', transformer: moneyTransformer, nullable: true });
}

/**
 * The four parts of a VAT split (docs/payments.md "VAT amounts"), columns of every table that
 * holds one: a payment's split, a cancel's share of it, the split of a subscription's periods. All
 * null when the row has none (the gateway split the amount).
 */
export abstract class VatSplitColumns {
  @VatPartColumn('supply_amount')
  supplyAmount: number | null;

  @VatPartColumn('vat_amount')
  vatAmount: number | null;

  @VatPartColumn('service_amount')
  serviceAmount: number | null;

  @VatPartColumn('tax_free_amount')
  taxFreeAmount: number | null;
}
