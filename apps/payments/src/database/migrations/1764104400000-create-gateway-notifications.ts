import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** Gateway notifications, stored before they are acknowledged (issue: gateway notifications). */
export class CreateGatewayNotifications1764104400000 implements MigrationInterface {
  name = 'CreateGatewayNotifications1764104400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'gateway_notifications',
        columns: [
          c.id(),
          c.text('dedup_key', 64),
          c.text('status', 24),
          c.text('reason', 300, true),
          c.text('tid', 30, true),
          c.text('order_no', 40, true),
          c.text('result_code', 10, true),
          c.longText('fields'),
          c.longText('parsed', true),
          c.text('source_ip', 64, true),
          c.integer('deliveries', 1),
          c.integer('apply_attempts', 0),
          c.timestamp('next_attempt_at', true),
          c.timestamp('received_at'),
          c.timestamp('applied_at', true),
        ],
        indices: [
          new TableIndex({ name: 'IDX_notifications_dedup', columnNames: ['dedup_key'], isUnique: true }),
          new TableIndex({ name: 'IDX_notifications_status', columnNames: ['status'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('gateway_notifications');
  }
}
