import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A throwaway database for one test harness: SQLite by default, PostgreSQL when TEST_DATABASE_URL names a server. */
export interface TestDatabase {
  url: string;
  /** The SQLite file, when the database is SQLite. */
  sqlitePath?: string;
  drop(): Promise<void>;
}

export const usingPostgres = (): boolean => /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL;
  if (server && usingPostgres()) {
    const name = `payments_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(server, `CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'payments-e2e-'));
  const sqlitePath = join(dir, 'payments.sqlite');
  return { url: `sqlite:${sqlitePath}`, sqlitePath, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** One statement on the server itself (CREATE or DROP DATABASE); also used by the benchmarks. */
export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
