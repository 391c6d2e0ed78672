import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** Subscriptions and their per-period charge attempts (issue: recurring billing). */
export class CreateSubscriptions1764108000000 implements MigrationInterface {
  name = 'CreateSubscriptions1764108000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'subscriptions',
        columns: [
          c.id(),
          c.text('customer_id', 100),
          c.text('billing_key_id', 40),
          c.money('amount'),
          c.text('goods_name', 200),
          c.text('interval', 10),
          c.integer('anchor_day', 1),
          c.timestamp('start_at'),
          c.text('status', 16),
          c.text('status_reason', 200, true),
          c.integer('period_index', 0),
          c.integer('attempt', 0),
          c.timestamp('next_charge_at', true),
          c.timestamp('cancelled_at', true),
          c.createdAt(),
          c.updatedAt(),
          c.integer('version', 1),
        ],
        indices: [
          new TableIndex({ name: 'IDX_subscriptions_customer', columnNames: ['customer_id'] }),
          new TableIndex({ name: 'IDX_subscriptions_billing_key', columnNames: ['billing_key_id'] }),
          new TableIndex({ name: 'IDX_subscriptions_due', columnNames: ['status', 'next_charge_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'subscription_charges',
        columns: [
          c.id(),
          c.text('subscription_id', 40),
          c.integer('period_index', 0),
          c.integer('attempt', 0),
          c.timestamp('period_start'),
          c.timestamp('period_end'),
          c.text('order_id', 40),
          c.text('payment_id', 40, true),
          c.text('status', 16),
          c.text('failure_code', 40, true),
          c.timestamp('claimed_until'),
          c.createdAt(),
          c.updatedAt(),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_subscription_charges_claim',
            columnNames: ['subscription_id', 'period_index', 'attempt'],
            isUnique: true,
          }),
          new TableIndex({ name: 'IDX_subscription_charges_order', columnNames: ['order_id'], isUnique: true }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('subscription_charges');
    await queryRunner.dropTable('subscriptions');
  }
}
