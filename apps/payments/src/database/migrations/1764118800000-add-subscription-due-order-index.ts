import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The scheduler reads due subscriptions in (next_charge_at, id) order, batch after batch: with this
 * index each batch is a short ordered scan instead of a sort of every due row (docs/benchmarks.md).
 */
export class AddSubscriptionDueOrderIndex1764118800000 implements MigrationInterface {
  name = 'AddSubscriptionDueOrderIndex1764118800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'subscriptions',
      new TableIndex({ name: 'IDX_subscriptions_due_order', columnNames: ['next_charge_at', 'id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('subscriptions', 'IDX_subscriptions_due_order');
  }
}
