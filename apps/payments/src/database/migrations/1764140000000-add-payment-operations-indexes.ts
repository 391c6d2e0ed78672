import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Two gauges of `GET /metrics` read payments at every scrape; these indexes keep each read to the
 * few rows it is about, however many payments there are (docs/operations/metrics-and-health.md):
 * - the age of the oldest UNKNOWN payment, `MIN(created_at) WHERE status = 'UNKNOWN'`: one index step;
 * - the payments a person must look at, `COUNT(*) WHERE needs_attention = TRUE`: a partial index
 *   holding only those rows (the query must spell the condition exactly so for SQLite to use it).
 */
export class AddPaymentOperationsIndexes1764140000000 implements MigrationInterface {
  name = 'AddPaymentOperationsIndexes1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'payments',
      new TableIndex({ name: 'IDX_payments_status_created', columnNames: ['status', 'created_at'] }),
    );
    await queryRunner.createIndex(
      'payments',
      new TableIndex({
        name: 'IDX_payments_needing_attention',
        columnNames: ['created_at'],
        where: 'needs_attention = TRUE',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('payments', 'IDX_payments_needing_attention');
    await queryRunner.dropIndex('payments', 'IDX_payments_status_created');
  }
}
