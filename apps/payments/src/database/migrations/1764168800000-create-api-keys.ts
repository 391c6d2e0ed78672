import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnKit } from './column-types';

/** Tenants (issue 15): API keys kept in the database, by the SHA-256 of their secret. */
export class CreateApiKeys1764168800000 implements MigrationInterface {
  name = 'CreateApiKeys1764168800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          c.id(),
          c.text('tenant_id', 64),
          c.text('name', 100, true),
          c.text('secret_hash', 64),
          c.createdAt(),
          c.timestamp('rotated_at', true),
          c.timestamp('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'IDX_api_keys_secret_hash', columnNames: ['secret_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_api_keys_tenant', columnNames: ['tenant_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_keys');
  }
}
