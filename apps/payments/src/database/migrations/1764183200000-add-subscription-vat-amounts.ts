import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const COLUMNS = ['supply_amount', 'vat_amount', 'service_amount', 'tax_free_amount'];

/**
 * The VAT split each period of a subscription is charged with (supply, VAT, service charge,
 * tax-free). Nullable: subscriptions created before, or without a split, have none.
 */
export class AddSubscriptionVatAmounts1764183200000 implements MigrationInterface {
  name = 'AddSubscriptionVatAmounts1764183200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(
      'subscriptions',
      COLUMNS.map((name) => new TableColumn({ name, type: 'bigint', isNullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('subscriptions', COLUMNS);
  }
}
