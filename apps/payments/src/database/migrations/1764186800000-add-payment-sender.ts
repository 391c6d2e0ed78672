import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnKit } from './column-types';

/**
 * The instance each API charge was made by, so that one whose sender died is asked about within
 * seconds (its heartbeat stops) instead of after JANITOR_STALE_AFTER_MS. Rows written before it,
 * and scheduled charges, have none: the stale wait (or the subscription's takeover) applies.
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
