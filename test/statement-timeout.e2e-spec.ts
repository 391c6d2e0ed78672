import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { loadDatabaseConfig } from '../apps/payments/src/config/app-config';
import { dataSourceOptions } from '../apps/payments/src/database/data-source-options';
import { MIGRATIONS } from '../apps/payments/src/database/migrations';
import { runMigrations } from '../apps/payments/src/database/run-migrations';
import { createTestDatabase, usingPostgres, type TestDatabase } from './support/test-database';

/** A migration that takes longer than the statements' bound: building an index over a large table would. */
class SlowMigration1900000000000 implements MigrationInterface {
  name = 'SlowMigration1900000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('SELECT pg_sleep(2.5)');
  }
  async down(): Promise<void> {}
}

const describeOnPostgres = usingPostgres() ? describe : describe.skip;

describeOnPostgres('DATABASE_STATEMENT_TIMEOUT_MS on PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadDatabaseConfig({ DATABASE_URL: database.url, DATABASE_STATEMENT_TIMEOUT_MS: '1000' });
    dataSource = await new DataSource({
      ...dataSourceOptions(config),
      migrations: [...MIGRATIONS, SlowMigration1900000000000],
    }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('runs migrations without the bound, however long one takes', async () => {
    const applied = await runMigrations(dataSource);

    expect(applied.map((migration) => migration.name)).toContain('SlowMigration1900000000000');
  });

  it('has the server cancel a statement past the bound, on a connection that stays usable, the migrations’ one included', async () => {
    // The pool hands out its most recently released connection first: the migrations' own, given its bound back.
    const started = Date.now();
    await expect(dataSource.query('SELECT pg_sleep(3)')).rejects.toMatchObject({
      driverError: expect.objectContaining({ code: '57014' }),
    });

    expect(Date.now() - started).toBeLessThan(2_500);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    expect(await dataSource.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '1s' }]);
  });
});
