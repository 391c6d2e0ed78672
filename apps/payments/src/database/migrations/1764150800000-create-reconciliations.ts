import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** Daily reconciliation with the gateway: one run per (Seoul day, merchant) and the mismatches it found (issue 16). */
export class CreateReconciliations1764150800000 implements MigrationInterface {
  name = 'CreateReconciliations1764150800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'reconciliation_runs',
        columns: [
          c.id(),
          c.text('seoul_date', 10),
          c.text('merchant', 50),
          c.text('mid', 20),
          c.text('status', 16),
          c.integer('attempt', 1),
          c.text('triggered_by', 16),
          c.integer('checked', 0),
          c.integer('matched', 0),
          c.integer('corrected', 0),
          c.integer('attention', 0),
          c.integer('unchecked', 0),
          c.timestamp('claimed_until'),
          c.timestamp('started_at'),
          c.timestamp('finished_at', true),
          c.text('failure_reason', 300, true),
          c.createdAt(),
          c.updatedAt(),
        ],
        indices: [
          // The claim: two instances never hold the same day of the same merchant.
          new TableIndex({
            name: 'IDX_reconciliation_runs_day',
            columnNames: ['seoul_date', 'merchant'],
            isUnique: true,
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reconciliation_mismatches',
        columns: [
          c.id(),
          c.text('run_id', 40),
          c.integer('attempt', 1),
          c.text('payment_id', 40),
          c.text('order_id', 40),
          c.text('kind', 24),
          c.text('resolution', 12),
          c.text('detail', 300),
          c.text('ours_status', 24),
          c.money('ours_amount'),
          c.money('ours_cancelled_amount'),
          c.text('gateway_status', 24),
          { ...c.money('gateway_amount'), isNullable: true },
          { ...c.money('gateway_cancelled_amount'), isNullable: true },
          c.createdAt(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_reconciliation_mismatches_run', columnNames: ['run_id'] }),
          new TableIndex({ name: 'IDX_reconciliation_mismatches_payment', columnNames: ['payment_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('reconciliation_mismatches');
    await queryRunner.dropTable('reconciliation_runs');
  }
}
