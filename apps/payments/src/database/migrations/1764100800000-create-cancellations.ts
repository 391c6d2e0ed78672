import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** Cancellations, and the amount of a payment reserved by cancels still in flight (issue: cancels and receipts). */
export class CreateCancellations1764100800000 implements MigrationInterface {
  name = 'CreateCancellations1764100800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('payments', new TableColumn(c.money('pending_cancel_amount', 0)));
    await queryRunner.createTable(
      new Table({
        name: 'cancellations',
        columns: [
          c.id(),
          c.text('payment_id', 40),
          c.text('tid', 30, true),
          c.money('amount'),
          c.flag('partial'),
          c.text('reason', 300),
          c.text('status', 16),
          { ...c.text('source', 16), default: "'api'" },
          c.text('failure_code', 40, true),
          c.text('failure_message', 300, true),
          c.timestamp('cancelled_at', true),
          c.integer('resolve_attempts', 0),
          c.timestamp('next_resolve_at', true),
          c.createdAt(),
          c.updatedAt(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_cancellations_payment', columnNames: ['payment_id'] }),
          new TableIndex({ name: 'IDX_cancellations_tid', columnNames: ['tid'], isUnique: true }),
          new TableIndex({ name: 'IDX_cancellations_status', columnNames: ['status'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('cancellations');
    await queryRunner.dropColumn('payments', 'pending_cancel_amount');
  }
}
