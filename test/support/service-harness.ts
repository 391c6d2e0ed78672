import type { LoggerService } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import type { SandboxOptions } from '@app/sandbox';
import type { RunningService } from '../../apps/payments/src/bootstrap';
import { startLocalService } from '../../apps/local/src/start-local-service';
import { apiCaller, TEST_API_KEY, type ServiceCaller } from './api-client';
import { databaseReader, type DatabaseReader } from './database-reader';
import { SandboxInspector } from './sandbox-inspector';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface HarnessOptions {
  /** Receives every line the service (and the in-process sandbox) logs; default: silence. */
  logger?: LoggerService;
  /** Receives the service's pino JSON lines (e.g. a CapturedLog); default: silence. */
  logDestination?: DestinationStream;
  /** Options of the in-process sandbox gateway (e.g. short notification retry delays). */
  sandbox?: SandboxOptions;
  /** A database the test made (e.g. to put a TcpLink in front of it); dropped on close. Default: a fresh one. */
  database?: TestDatabase;
}

/** The service under test with its gateway and database; `client` (typed) and `api` (raw) call it with the test API key. */
export interface ServiceHarness extends ServiceCaller {
  service: RunningService;
  /** Base URL of the sandbox gateway the service talks to. */
  gatewayUrl: string;
  /** What that gateway received and holds. */
  gateway: SandboxInspector;
  /** Reads what the service stored in its throwaway database, on either store. */
  db: DatabaseReader;
  close(): Promise<void>;
}

/**
 * Boots the whole service on a fresh database (SQLite, or PostgreSQL under TEST_DATABASE_URL) with
 * the in-process sandbox gateway, over real HTTP. `env` overrides the configuration (e.g. a short
 * gateway timeout).
 */
export async function startHarness(
  env: Record<string, string> = {},
  options: HarnessOptions = {},
): Promise<ServiceHarness> {
  const database = options.database ?? (await createTestDatabase());
  const service = await startLocalService({
    env: {
      PORT: '0',
      DATABASE_URL: database.url,
      API_KEYS: TEST_API_KEY,
      JANITOR_ENABLED: 'false',
      RECONCILIATION_ENABLED: 'false',
      // Tests send bursts of charges: the merchant's gateway rate is not what they measure, unless they set it.
      PAYSTORY_RATE_LIMIT: '10000',
      ...env,
    },
    logger: options.logger ?? (options.logDestination ? undefined : false),
    logDestination: options.logDestination,
    sandbox: options.sandbox,
  });
  const gatewayUrl = service.config.paystory.baseUrl ?? '';
  const db = databaseReader(database);
  return {
    service,
    gatewayUrl,
    gateway: new SandboxInspector(gatewayUrl),
    db,
    ...apiCaller(service.url),
    close: async () => {
      await db.close();
      await service.close();
      await database.drop();
    },
  };
}
