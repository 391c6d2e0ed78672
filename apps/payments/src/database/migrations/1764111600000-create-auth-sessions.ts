import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** Browser registrations through the gateway's auth window (issue: card and phone registration in the browser). */
export class CreateAuthSessions1764111600000 implements MigrationInterface {
  name = 'CreateAuthSessions1764111600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'auth_sessions',
        columns: [
          c.id(),
          c.text('customer_id', 100),
          c.text('pay_method', 10),
          c.text('merchant', 50),
          c.text('order_no', 40),
          c.text('edi_date', 14),
          c.text('enc_data', 256),
          c.money('amount', 0),
          c.text('goods_name', 200),
          c.text('buyer_name', 100),
          c.text('buyer_tel', 40),
          c.text('buyer_email', 120, true),
          c.text('language', 3),
          c.text('status', 16),
          c.text('failure_code', 40, true),
          c.text('failure_message', 300, true),
          c.text('billing_key_id', 40, true),
          c.text('payment_id', 40, true),
          c.timestamp('expires_at'),
          c.createdAt(),
          c.updatedAt(),
        ],
        indices: [new TableIndex({ name: 'IDX_auth_sessions_order', columnNames: ['order_no'], isUnique: true })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_sessions');
  }
}
