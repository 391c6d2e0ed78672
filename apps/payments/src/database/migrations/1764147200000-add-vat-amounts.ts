import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const PAYMENT_COLUMNS = [
  'supply_amount',
  'vat_amount',
  'service_amount',
  'tax_free_amount',
  'cancelled_supply_amount',
  'cancelled_vat_amount',
  'cancelled_service_amount',
  'cancelled_tax_free_amount',
];
const CANCELLATION_COLUMNS = ['supply_amount', 'vat_amount', 'service_amount', 'tax_free_amount'];

/**
 * The VAT split of a payment (supply, VAT, service charge, tax-free; what cancels took of each) and
 * each cancel's share. Nullable: payments made before, or without a split, have none.
 */
export class AddVatAmounts1764147200000 implements MigrationInterface {
  name = 'AddVatAmounts1764147200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('payments', PAYMENT_COLUMNS.map(money));
    await queryRunner.addColumns('cancellations', CANCELLATION_COLUMNS.map(money));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('cancellations', CANCELLATION_COLUMNS);
    await queryRunner.dropColumns('payments', PAYMENT_COLUMNS);
  }
}

function money(name: string): TableColumn {
  return new TableColumn({ name, type: 'bigint', isNullable: true });
}
