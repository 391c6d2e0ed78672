import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningService, startService } from '../../apps/payments/src/bootstrap';

export const TEST_API_KEY = 'sk_test_e2e_key';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ServiceHarness {
  service: RunningService;
  /** Base URL of the sandbox gateway the service talks to. */
  gatewayUrl: string;
  /** Path of the SQLite file the service writes. */
  databasePath: string;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** GET on the sandbox's inspection API (`/__sandbox/...`). */
  sandbox<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  close(): Promise<void>;
}

/**
 * Boots the whole service on a fresh SQLite file with the in-process sandbox gateway, over real
 * HTTP. `env` overrides the configuration (e.g. a short gateway timeout).
 */
export async function startHarness(env: Record<string, string> = {}): Promise<ServiceHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'payments-e2e-'));
  const databasePath = join(dir, 'payments.sqlite');
  const service = await startService({
    env: {
      PORT: '0',
      DATABASE_URL: `sqlite:${databasePath}`,
      API_KEYS: TEST_API_KEY,
      JANITOR_ENABLED: 'false',
      ...env,
    },
    logger: false,
  });
  const gatewayUrl = service.config.paystory.baseUrl ?? '';
  return {
    service,
    gatewayUrl,
    databasePath,
    api: async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
    },
    sandbox: async <T>(path: string, init?: RequestInit) => {
      const response = await fetch(`${gatewayUrl}/__sandbox/${path.replace(/^\//, '')}`, init);
      return (await response.json()) as T;
    },
    close: async () => {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
