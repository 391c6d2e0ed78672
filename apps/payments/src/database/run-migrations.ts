import { DataSource, Migration, MigrationExecutor } from 'typeorm';
import { DeadlineClient } from './statement-deadline';

/** Any constant both instances agree on: the key of the PostgreSQL advisory lock around migrations. */
const MIGRATION_LOCK_KEY = 7_120_914_411;

/**
 * Applies pending migrations. Several instances starting together on one PostgreSQL take turns
 * under an advisory lock, so each migration runs once; SQLite serves one instance at a time. On
 * PostgreSQL the lock's wait and the migrations run on one connection without the statements' bounds
 * (DATABASE_STATEMENT_TIMEOUT_MS): an index built over a large table may take long by design.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  if (dataSource.options.type !== 'postgres') return dataSource.runMigrations({ transaction: 'each' });
  const runner = dataSource.createQueryRunner();
  const client: unknown = await runner.connect();
  const migrate = async () => {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  };
  try {
    return client instanceof DeadlineClient ? await client.unbounded(migrate) : await migrate();
  } finally {
    await runner.release();
  }
}
