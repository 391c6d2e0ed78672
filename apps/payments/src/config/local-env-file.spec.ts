import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig } from './app-config';
import { loadLocalEnvFile } from './local-env-file';

describe(loadLocalEnvFile.name, () => {
  function givenEnvFile(content: string): { path: string; cleanup: () => void } {
    const dir = mkdtempSync(join(tmpdir(), 'payments-env-'));
    const path = join(dir, '.env');
    writeFileSync(path, content);
    return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }

  it('feeds the boot the variables of .env, and a real environment variable wins over the file', () => {
    const file = givenEnvFile(
      ['# local run', 'LOG_LEVEL=debug', 'PAYSTORY_TIMEOUT_MS=2000', 'PORT=4000', 'API_KEYS="sk_local"'].join('\n'),
    );
    const env: NodeJS.ProcessEnv = { PORT: '5000' };
    try {
      loadLocalEnvFile(file.path, env);

      expect(loadAppConfig(env)).toMatchObject({
        port: 5000,
        apiKeys: ['sk_local'],
        logging: { level: 'debug' },
        paystory: { timeoutMs: 2_000 },
      });
    } finally {
      file.cleanup();
    }
  });

  it('stops the boot on a bad value in .env, naming the variable', () => {
    const file = givenEnvFile('PORT=eighty\n');
    const env: NodeJS.ProcessEnv = {};
    try {
      loadLocalEnvFile(file.path, env);

      expect(() => loadAppConfig(env)).toThrow('Configuration error: PORT must be a whole number from 0 to 65535');
    } finally {
      file.cleanup();
    }
  });

  it('changes nothing when there is no .env file', () => {
    const env: NodeJS.ProcessEnv = { PORT: '5000' };

    loadLocalEnvFile(join(tmpdir(), 'payments-no-such-dir', '.env'), env);

    expect(env).toEqual({ PORT: '5000' });
  });
});
