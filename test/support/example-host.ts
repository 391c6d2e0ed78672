import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_MERCHANTS, startSandbox, type RunningSandbox } from '@app/sandbox';
import { startExampleHost, type RunningExampleHost } from '../../apps/example-host/src/start-example-host';
import type { ExampleHostOptions } from '../../apps/example-host/src/example-host.module';
import { apiCaller, callApi, TEST_API_KEY, type ApiResponse, type ServiceCaller } from './api-client';
import { freePort } from './free-port';
import { SandboxInspector } from './sandbox-inspector';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The host's users: `X-Session-Token` → user @ payments tenant (HOST_SESSIONS). */
export const HOST_USERS = {
  bob: { token: 'session-bob', id: 'bob', tenantId: 'default' },
  alice: { token: 'session-alice', id: 'alice', tenantId: 'acme' },
} as const;

/** The example host (apps/example-host) with a sandbox gateway, on a real port and fresh databases. */
export interface ExampleHostHarness {
  host: RunningExampleHost;
  /** The host's URL with its global prefix: `http://127.0.0.1:<port>/api`. */
  apiUrl: string;
  gatewayUrl: string;
  /** The payments API under the host's prefix (`…/api`), with the test API key. */
  payments: ServiceCaller;
  /** Calls `…/api<path>` as one of {@link HOST_USERS}, or signed out. */
  asUser(user: keyof typeof HOST_USERS | undefined, method: string, path: string, body?: unknown): Promise<ApiResponse>;
  gateway: SandboxInspector;
  close(): Promise<void>;
}

export async function startExampleHostHarness(
  paymentsAuth: ExampleHostOptions['paymentsAuth'] = 'api-keys',
): Promise<ExampleHostHarness> {
  const sandbox: RunningSandbox = await startSandbox({ logger: false });
  const database: TestDatabase = await createTestDatabase();
  const hostDir = mkdtempSync(join(tmpdir(), 'example-host-'));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}/api`;
  try {
    const host = await startExampleHost({
      paymentsAuth,
      env: {
        PORT: String(port),
        HOST_DATABASE_PATH: join(hostDir, 'host.sqlite'),
        HOST_SESSIONS: Object.values(HOST_USERS)
          .map((u) => `${u.token}=${u.id}@${u.tenantId}`)
          .join(','),
        PAYMENTS_PAYSTORY_BASE_URL: sandbox.baseUrl,
        PAYMENTS_PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
        PAYMENTS_PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
        PAYMENTS_DATABASE_URL: database.url,
        PAYMENTS_API_KEYS: TEST_API_KEY,
        // The gateway posts notifications to PUBLIC_BASE_URL + /v1/notifications/paystory: under the prefix.
        PAYMENTS_PUBLIC_BASE_URL: apiUrl,
        PAYMENTS_EVENTS_RELAY_INTERVAL_MS: '100',
        PAYMENTS_JANITOR_ENABLED: 'false',
        PAYMENTS_RECONCILIATION_ENABLED: 'false',
        PAYMENTS_PAYSTORY_RATE_LIMIT: '10000',
      },
    });
    return {
      host,
      apiUrl,
      gatewayUrl: sandbox.baseUrl,
      payments: apiCaller(apiUrl),
      asUser: (user, method, path, body) =>
        callApi(apiUrl, method, path, body, user ? { 'x-session-token': HOST_USERS[user].token } : {}),
      gateway: new SandboxInspector(sandbox.baseUrl),
      close: async () => {
        await host.app.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }

  async function cleanUp(): Promise<void> {
    await sandbox.close();
    await database.drop();
    rmSync(hostDir, { recursive: true, force: true });
  }
}
