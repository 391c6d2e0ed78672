import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnKit } from './column-types';

/**
 * The instance that holds each in-flight Idempotency-Key, so that a retry never takes over a key
 * whose first request is still running on a live instance, however slow. Records written before
 * it have no owner: the lease alone frees them, as before.
 */
export class AddIdempotencyOwner1764165200000 implements MigrationInterface {
  name = 'AddIdempotencyOwner1764165200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.addColumn('idempotency_records', new TableColumn(c.text('owner_instance_id', 40, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('idempotency_records', 'owner_instance_id');
  }
}
