import { DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { loadDatabaseConfig } from '../../apps/payments/src/config/app-config';
import { dataSourceOptions } from '../../apps/payments/src/database/data-source-options';
import { runMigrations } from '../../apps/payments/src/database/run-migrations';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * A throwaway database with the service's migrations applied and a data source over `entities`:
 * for tests of a store or a conditional update against a real database, without a whole service.
 */
export async function migratedDataSource(
  entities: EntityTarget<ObjectLiteral>[],
): Promise<{ database: TestDatabase; dataSource: DataSource; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const dataSource = await new DataSource({
    ...dataSourceOptions(loadDatabaseConfig({ DATABASE_URL: database.url })),
    entities: entities as DataSource['options']['entities'],
  }).initialize();
  await runMigrations(dataSource);
  return {
    database,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
