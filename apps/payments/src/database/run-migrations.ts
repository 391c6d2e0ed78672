import { DataSource, Migration } from 'typeorm';

/** Any constant both instances agree on: the key of the PostgreSQL advisory lock around migrations. */
const MIGRATION_LOCK_KEY = 7_120_914_411;

/**
 * Applies pending migrations. Several instances starting together on one PostgreSQL take turns
 * under an advisory lock, so each migration runs once; SQLite serves one instance at a time.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'postgres') return dataSource.runMigrations({ transaction: 'each' });
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
