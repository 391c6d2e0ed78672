import 'reflect-metadata';
import { DataSource } from 'typeorm';
import '../config/load-local-env-file';
import { loadDatabaseConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './run-migrations';

/**
 * `npm run migrate`: applies the committed migrations to DATABASE_URL and exits. The service also
 * runs them at start; this is for deployments that migrate as a separate step.
 */
async function migrate(): Promise<void> {
  // Only the database matters here: the gateway's settings are the service's business, not the migration's.
  const dataSource = new DataSource(dataSourceOptions(loadDatabaseConfig()));
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'The database is up to date');
  } finally {
    await dataSource.destroy();
  }
}

migrate().catch((error: Error) => {
  console.error(`Migration failed: ${error.message}`);
  process.exit(1);
});
