import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig, type DatabaseConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { DeadlineClient } from './statement-deadline';

/** The pragmas the service's SQLite connection really runs with, read back from SQLite itself. */
async function pragmasOf(config: DatabaseConfig): Promise<{ journal: string; synchronous: number }> {
  const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
  try {
    const [{ journal_mode: journal }] = (await dataSource.query('PRAGMA journal_mode')) as { journal_mode: string }[];
    const [{ synchronous }] = (await dataSource.query('PRAGMA synchronous')) as { synchronous: number }[];
    return { journal, synchronous };
  } finally {
    await dataSource.destroy();
  }
}

describe('the SQLite connection', () => {
  const dir = join(tmpdir(), `payments-pragmas-${randomUUID()}`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('syncs every commit to disk by default (synchronous FULL = 2), in WAL mode, also once the file exists', async () => {
    const config = loadDatabaseConfig({ DATABASE_URL: `sqlite:${join(dir, 'default.sqlite')}` });
    expect(await pragmasOf(config)).toEqual({ journal: 'wal', synchronous: 2 });
    // Opened again, as after a restart: a file already in WAL mode gets better-sqlite3's WAL default, NORMAL.
    expect(await pragmasOf(config)).toEqual({ journal: 'wal', synchronous: 2 });
  });

  it('leaves the sync to checkpoints when DATABASE_SQLITE_SYNCHRONOUS is normal (NORMAL = 1)', async () => {
    const config = loadDatabaseConfig({
      DATABASE_URL: `sqlite:${join(dir, 'normal.sqlite')}`,
      DATABASE_SQLITE_SYNCHRONOUS: 'normal',
    });
    expect(await pragmasOf(config)).toEqual({ journal: 'wal', synchronous: 1 });
    expect(await pragmasOf(config)).toEqual({ journal: 'wal', synchronous: 1 });
  });
});

describe('the PostgreSQL pool', () => {
  it('has DATABASE_POOL_SIZE connections at most and waits DATABASE_CONNECT_TIMEOUT_MS for one (pg-pool options)', () => {
    const options = dataSourceOptions(
      loadDatabaseConfig({
        DATABASE_URL: 'postgres://payments@db.internal:5432/payments',
        DATABASE_POOL_SIZE: '7',
        DATABASE_CONNECT_TIMEOUT_MS: '2500',
      }),
    );
    expect(options.extra).toMatchObject({ max: 7, connectionTimeoutMillis: 2_500 });
  });

  it('bounds each statement: the server cancels it past DATABASE_STATEMENT_TIMEOUT_MS, the client gives it up a grace later', () => {
    const optionsWith = (timeout: string) =>
      dataSourceOptions(
        loadDatabaseConfig({ DATABASE_URL: 'postgres://db.internal/payments', DATABASE_STATEMENT_TIMEOUT_MS: timeout }),
      ).extra as Record<string, unknown>;

    // The grace is as long again as the timeout, at most 5 s: the server's cancellation is an answer.
    expect(optionsWith('30000')).toMatchObject({ statement_timeout: 30_000, answerDeadlineMs: 35_000 });
    expect(optionsWith('2000')).toMatchObject({ statement_timeout: 2_000, answerDeadlineMs: 4_000 });
    expect(optionsWith('0')).toMatchObject({ statement_timeout: 0, answerDeadlineMs: 0 });
    // Every client of the pool is bounded, the one that prepares statements too.
    const clientOf = (prepared: string) =>
      (
        dataSourceOptions(
          loadDatabaseConfig({
            DATABASE_URL: 'postgres://db.internal/payments',
            DATABASE_PREPARED_STATEMENTS: prepared,
          }),
        ).extra as { Client: typeof DeadlineClient }
      ).Client;
    expect(clientOf('false')).toBe(DeadlineClient);
    expect(clientOf('true').prototype).toBeInstanceOf(DeadlineClient);
  });
});
