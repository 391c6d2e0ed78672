import { spawn } from 'node:child_process';
import type { TestDatabase } from './test-database';
import { tsNodeArgs } from './ts-node-args';

/** What `npm run keys` printed, and how it ended. */
export interface KeysCommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the API keys command (`npm run keys -- …` without its build step: ts-node, as the
 * child-process tests run main.ts) against `database`.
 */
export function runKeysCommand(database: TestDatabase, args: string[]): Promise<KeysCommandResult> {
  const child = spawn(process.execPath, tsNodeArgs('apps/payments/src/api-keys/api-keys.command.ts', ...args), {
    cwd: process.cwd(),
    env: { ...process.env, NODE_OPTIONS: undefined, TS_NODE_PROJECT: 'tsconfig.json', DATABASE_URL: database.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The key id and secret that `create` or `rotate` printed. */
export function issuedKey(result: KeysCommandResult): { id: string; secret: string } {
  const id = /API key (key_[0-9a-f]+)/.exec(result.stdout)?.[1];
  const secret = /(psk_[A-Za-z0-9_-]+)/.exec(result.stdout)?.[1];
  if (result.code !== 0 || !id || !secret)
    throw new Error(`npm run keys failed (${result.code}): ${result.stdout}${result.stderr}`);
  return { id, secret };
}
