import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/**
 * Each stored notification keeps its latest delivery beside its first: a rejected body posted again
 * is counted on its one row (its `dedup_key` is now a digest of the body), and the sweeper deletes
 * rejected rows that have been quiet for the retention, found through (status, last_received_at).
 */
export class AddNotificationLastReceivedAt1764143600000 implements MigrationInterface {
  name = 'AddNotificationLastReceivedAt1764143600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const column = columnKit(queryRunner).timestamp('last_received_at');
    // Added nullable, filled from the first delivery, then required: SQLite cannot add a required column to rows.
    await queryRunner.addColumn('gateway_notifications', new TableColumn({ ...column, isNullable: true }));
    await queryRunner.query('UPDATE gateway_notifications SET last_received_at = received_at');
    await queryRunner.changeColumn('gateway_notifications', 'last_received_at', new TableColumn(column));
    await queryRunner.createIndex(
      'gateway_notifications',
      new TableIndex({ name: 'IDX_notifications_status_last_received', columnNames: ['status', 'last_received_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('gateway_notifications', 'IDX_notifications_status_last_received');
    await queryRunner.dropColumn('gateway_notifications', 'last_received_at');
  }
}
