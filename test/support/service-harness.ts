import type { LoggerService } from '@nestjs/common';
import type { SandboxOptions } from '@app/sandbox';
import { RunningService, startService } from '../../apps/payments/src/bootstrap';
import { databaseReader, type DatabaseReader } from './database-reader';
import { createTestDatabase } from './test-database';

export const TEST_API_KEY = 'sk_test_e2e_key';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  /** The body exactly as it came over the wire. */
  text: string;
}

export interface HarnessOptions {
  /** Receives every line the service (and the in-process sandbox) logs; default: silence. */
  logger?: LoggerService;
  /** Options of the in-process sandbox gateway (e.g. short notification retry delays). */
  sandbox?: SandboxOptions;
}

export interface ServiceHarness {
  service: RunningService;
  /** Base URL of the sandbox gateway the service talks to. */
  gatewayUrl: string;
  /** The service's DATABASE_URL: a throwaway database of its own. */
  databaseUrl: string;
  /** Path of the SQLite file the service writes; undefined on PostgreSQL. */
  databasePath?: string;
  /** Reads what the service stored, on either database. */
  db: DatabaseReader;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** GET on the sandbox's inspection API (`/__sandbox/...`). */
  sandbox<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  close(): Promise<void>;
}

/**
 * Boots the whole service on a fresh database (SQLite, or PostgreSQL under TEST_DATABASE_URL) with
 * the in-process sandbox gateway, over real HTTP. `env` overrides the configuration (e.g. a short
 * gateway timeout).
 */
export async function startHarness(env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<ServiceHarness> {
  const database = await createTestDatabase();
  const service = await startService({
    env: {
      PORT: '0',
      DATABASE_URL: database.url,
      API_KEYS: TEST_API_KEY,
      JANITOR_ENABLED: 'false',
      ...env,
    },
    logger: options.logger ?? false,
    sandbox: options.sandbox,
  });
  const gatewayUrl = service.config.paystory.baseUrl ?? '';
  const db = databaseReader(database);
  return {
    service,
    gatewayUrl,
    databaseUrl: database.url,
    databasePath: database.sqlitePath,
    db,
    api: <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      callApi<T>(service.url, method, path, body, { authorization: `Bearer ${TEST_API_KEY}`, ...headers }),
    sandbox: async <T>(path: string, init?: RequestInit) => {
      const response = await fetch(`${gatewayUrl}/__sandbox/${path.replace(/^\//, '')}`, init);
      return (await response.json()) as T;
    },
    close: async () => {
      await db.close();
      await service.close();
      await database.drop();
    },
  };
}

/** One JSON call to a running service (in this process or a child). A string body is sent as is. */
export async function callApi<T>(baseUrl: string, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<ApiResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T, text };
}
