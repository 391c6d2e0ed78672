import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * A subscription created under an Idempotency-Key carries the key's reference, unique: a retry of
 * that key (after a lost answer, a 5xx or a dead process) finds the first subscription instead of
 * creating a second one, billed every period.
 */
export class BindSubscriptionsToIdempotencyKeys1764126000000 implements MigrationInterface {
  name = 'BindSubscriptionsToIdempotencyKeys1764126000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'subscriptions',
      new TableColumn({ name: 'idempotency_ref', type: 'varchar', length: '64', isNullable: true }),
    );
    await queryRunner.createIndex(
      'subscriptions',
      new TableIndex({ name: 'UQ_subscriptions_idempotency_ref', columnNames: ['idempotency_ref'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('subscriptions', 'UQ_subscriptions_idempotency_ref');
    await queryRunner.dropColumn('subscriptions', 'idempotency_ref');
  }
}
