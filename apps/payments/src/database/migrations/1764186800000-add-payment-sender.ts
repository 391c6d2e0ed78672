import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnKit } from './column-types';

/**
 * The instance that sent each unresolved charge, so that a charge whose sender died is asked about
 * within seconds (its heartbeat stops) instead of after JANITOR_STALE_AFTER_MS. Rows written before
 * it have no sender: the stale wait alone applies to them, as before.
 */
export class AddPaymentSender1764186800000 implements MigrationInterface {
  name = 'AddPaymentSender1764186800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('payments', new TableColumn(c.text('sender_instance_id', 40, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('payments', 'sender_instance_id');
  }
}
