import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnKit } from './column-types';

/**
 * The merchants' gateway rate, shared by every instance (issue 17): slots taken per merchant in
 * each aligned one-second window (`window_start` in epoch seconds). Used on PostgreSQL; created on
 * SQLite too so that one schema serves both (a single SQLite instance counts in memory).
 */
export class CreateGatewayRateWindows1764158000000 implements MigrationInterface {
  name = 'CreateGatewayRateWindows1764158000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnKit(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'gateway_rate_windows',
        columns: [
          { ...c.text('merchant', 64), isPrimary: true },
          { name: 'window_start', type: 'bigint', isPrimary: true, isNullable: false },
          { name: 'used', type: 'integer', isNullable: false },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('gateway_rate_windows');
  }
}
