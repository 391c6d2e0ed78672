import type { DataSource } from 'typeorm';
import { TrimWritePathIndexes1764190400000 } from '../apps/payments/src/database/migrations/1764190400000-trim-write-path-indexes';
import { claimStatement } from '../apps/payments/src/events/relay/outbox-relay';
import { migratedDataSource } from './support/migrated-data-source';
import { usingPostgres } from './support/test-database';

/**
 * The indexes a charge writes (migration TrimWritePathIndexes, docs/benchmarks.md "ninth round"):
 * the outbox keeps one partial index of unpublished events, which the relay's claim and every
 * other look at unpublished events can use, so that none of them reads the published history.
 */
const UNPUBLISHED_QUERIES = {
  "the relay's claim": claimStatement(usingPostgres(), 'TRUE'),
  'the gauge of unpublished events': 'SELECT COUNT(*) AS "count" FROM outbox_events t WHERE published_at IS NULL',
  "the console's oldest unpublished":
    'SELECT seq, id, type FROM outbox_events WHERE published_at IS NULL ORDER BY seq LIMIT 20',
};
const CLAIM_PARAMS = (postgres: boolean) => {
  const now = postgres ? new Date() : new Date().toISOString();
  return [now, 'instance', now, 10];
};

describe('indexes on the write path', () => {
  let db: Awaited<ReturnType<typeof migratedDataSource>>;
  beforeAll(async () => {
    db = await migratedDataSource([]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('leaves the outbox one index of unpublished events and payments no index of status alone', async () => {
    const outbox = await indexesOf(db.dataSource, 'outbox_events');
    expect(outbox).toEqual(['IDX_outbox_id', 'IDX_outbox_tenant_seq', 'IDX_outbox_unpublished_seq']);
    const payments = await indexesOf(db.dataSource, 'payments');
    expect(payments).toContain('IDX_payments_status_created');
    expect(payments).not.toContain('IDX_payments_status');
  });

  it.each(Object.entries(UNPUBLISHED_QUERIES))('lets %s use the partial index', async (_name, sql) => {
    const params = sql.startsWith('UPDATE') ? CLAIM_PARAMS(usingPostgres()) : [];
    expect(await planOf(db.dataSource, sql, params)).toContain('IDX_outbox_unpublished_seq');
  });

  it('is undone and done again by the migration', async () => {
    const migration = new TrimWritePathIndexes1764190400000();
    const runner = db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await indexesOf(db.dataSource, 'outbox_events')).toEqual([
        'IDX_outbox_id',
        'IDX_outbox_published',
        'IDX_outbox_tenant_seq',
        'IDX_outbox_type',
        'IDX_outbox_unpublished',
      ]);
      expect(await indexesOf(db.dataSource, 'payments')).toContain('IDX_payments_status');
      await migration.up(runner);
      expect(await indexesOf(db.dataSource, 'outbox_events')).toEqual([
        'IDX_outbox_id',
        'IDX_outbox_tenant_seq',
        'IDX_outbox_unpublished_seq',
      ]);
    } finally {
      await runner.release();
    }
  });
});

/** The table's named indexes (not its primary key's), sorted. */
async function indexesOf(dataSource: DataSource, table: string): Promise<string[]> {
  const rows = (await (usingPostgres()
    ? dataSource.query(`SELECT indexname AS name FROM pg_indexes WHERE tablename = $1 AND indexname NOT LIKE 'PK_%'`, [
        table,
      ])
    : dataSource.query(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_autoindex_%'`,
        [table],
      ))) as { name: string }[];
  return rows.map((row) => row.name).sort();
}

/**
 * The plan of `sql` as text. On PostgreSQL with sequential scans priced out, so that the plan shows
 * whether the index can serve the query at all (a table of a few rows is read whole otherwise).
 */
async function planOf(dataSource: DataSource, sql: string, params: unknown[]): Promise<string> {
  if (!usingPostgres()) {
    const rows = (await dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as { detail: string }[];
    return rows.map((row) => row.detail).join('\n');
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query('SET LOCAL enable_seqscan = off');
    const rows = (await runner.query(`EXPLAIN ${sql}`, params)) as { 'QUERY PLAN': string }[];
    await runner.rollbackTransaction();
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await runner.release();
  }
}
