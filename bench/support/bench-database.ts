import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery } from '../../test/support/test-database';

export type Store = 'sqlite' | 'postgres';

/** A database a benchmark fills and then throws away, so that no run measures another's rows. */
export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh SQLite file under the OS temp dir, or a fresh database on the server named by BENCH_DATABASE_URL. */
export async function createBenchDatabase(store: Store): Promise<BenchDatabase> {
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'payments-bench-'));
    return {
      url: `sqlite:${join(dir, 'payments.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (store !== 'postgres') throw new Error(`--store must be sqlite or postgres (got ${store})`);
  const server = process.env.BENCH_DATABASE_URL;
  if (!server)
    throw new Error('--store=postgres needs BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  const name = `payments_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
