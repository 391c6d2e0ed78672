import { SANDBOX_MERCHANTS, startSandbox } from '@app/sandbox';
import { databaseReader, type DatabaseReader } from './database-reader';
import { SandboxInspector } from './sandbox-inspector';
import { spawnService, type ServiceProcess } from './service-process';
import { createTestDatabase, type TestDatabase } from './test-database';
import { UNREACHABLE_URL } from './unreachable-url';

/** Service processes start in a few seconds each with ts-node: jest.config's project testTimeout is not applied per test. */
export const PROCESS_TEST_TIMEOUT_MS = 60_000;

/** An instance that waits a minute for the gateway and resolves nothing by itself: the one killed with calls in flight. */
export const INSTANCE_KILLED_MID_CALL = { PAYSTORY_TIMEOUT_MS: '60000', JANITOR_ENABLED: 'false' } as const;

/**
 * The instance started after the kill: its janitor resolves what was left unresolved within a few
 * seconds. A charge the gateway does not know counts as never made only JANITOR_STALE_AFTER_MS after
 * it was sent, which must exceed the gateway timeout (as the service warns) and leave a loaded
 * machine's sandbox time to process a request the killed instance had sent.
 */
export const INSTANCE_RESTARTED = {
  PAYSTORY_TIMEOUT_MS: '2000',
  JANITOR_ENABLED: 'true',
  JANITOR_INTERVAL_MS: '200',
  JANITOR_STALE_AFTER_MS: '5000',
  JANITOR_BACKOFF_MS: '0',
} as const;

/**
 * What service instances of one deployment share: a standalone sandbox gateway (the card merchant)
 * and a throwaway database (SQLite, or PostgreSQL under TEST_DATABASE_URL). Instances run as
 * child processes, as in production: one restarted, or several side by side.
 */
export interface Deployment {
  /** What the shared gateway received and holds. */
  gateway: SandboxInspector;
  database: TestDatabase;
  db: DatabaseReader;
  /**
   * Starts an instance on the shared gateway and database. The gateway's notifications go nowhere,
   * so an instance learns outcomes by itself unless the test delivers them; `env` adds to or
   * overrides its configuration.
   */
  startInstance(env?: Record<string, string>): Promise<ServiceProcess>;
  /** Kills every instance, then closes the gateway and drops the database. */
  close(): Promise<void>;
}

export async function startDeployment(): Promise<Deployment> {
  const card = SANDBOX_MERCHANTS.card;
  const sandbox = await startSandbox({ logger: false, merchants: [card] });
  const database = await createTestDatabase().catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  const db = databaseReader(database);
  const instances: ServiceProcess[] = [];
  return {
    gateway: new SandboxInspector(sandbox.baseUrl),
    database,
    db,
    startInstance: async (env = {}) => {
      const instance = await spawnService({
        DATABASE_URL: database.url,
        PAYSTORY_BASE_URL: sandbox.baseUrl,
        PAYSTORY_MID: card.mid,
        PAYSTORY_MERCHANT_KEY: card.merchantKey,
        PUBLIC_BASE_URL: UNREACHABLE_URL,
        ...env,
      });
      instances.push(instance);
      return instance;
    },
    close: async () => {
      await Promise.all(instances.map((instance) => instance.kill()));
      await sandbox.close();
      await db.close();
      await database.drop();
    },
  };
}
