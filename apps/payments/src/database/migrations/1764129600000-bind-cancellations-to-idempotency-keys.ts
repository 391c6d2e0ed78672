import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * A cancel made under an Idempotency-Key carries the key's reference, unique: a retry of that key
 * (after a lost answer, a 5xx or a dead process) finds the first cancel instead of refunding again.
 */
export class BindCancellationsToIdempotencyKeys1764129600000 implements MigrationInterface {
  name = 'BindCancellationsToIdempotencyKeys1764129600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'cancellations',
      new TableColumn({ name: 'idempotency_ref', type: 'varchar', length: '64', isNullable: true }),
    );
    await queryRunner.createIndex(
      'cancellations',
      new TableIndex({ name: 'UQ_cancellations_idempotency_ref', columnNames: ['idempotency_ref'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cancellations', 'UQ_cancellations_idempotency_ref');
    await queryRunner.dropColumn('cancellations', 'idempotency_ref');
  }
}
