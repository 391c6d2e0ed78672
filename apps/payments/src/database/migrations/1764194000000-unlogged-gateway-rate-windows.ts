import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway rate's windows need no durability: each counts the slots of one second and is
 * deleted a minute later. On PostgreSQL the table becomes UNLOGGED: taking a slot writes no WAL
 * and its commit waits for no flush to disk (a charge's own writes still do). The price, taken
 * knowingly: after a crash of the PostgreSQL server (not a clean restart) or a failover to a
 * replica, the table starts empty, so the window then under way may see up to twice the merchant's
 * rate once (docs/deployment.md). Nothing to do on SQLite, whose instance counts in memory.
 */
export class UnloggedGatewayRateWindows1764194000000 implements MigrationInterface {
  name = 'UnloggedGatewayRateWindows1764194000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'postgres')
      await queryRunner.query('ALTER TABLE gateway_rate_windows SET UNLOGGED');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'postgres')
      await queryRunner.query('ALTER TABLE gateway_rate_windows SET LOGGED');
  }
}
