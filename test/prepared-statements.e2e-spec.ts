import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '../apps/payments/src/config/app-config';
import { dataSourceOptions } from '../apps/payments/src/database/data-source-options';
import { GuardedWrites } from '../apps/payments/src/database/guarded-writes';
import { findRow, insertRow } from '../apps/payments/src/database/row-statements';
import { UnitOfWork } from '../apps/payments/src/database/unit-of-work';
import { OutboxEventEntity } from '../apps/payments/src/events/entities/outbox-event.entity';
import { PostgresWindowCounter } from '../apps/payments/src/gateway/rate-limit/postgres-window-counter';
import { migratedDataSource } from './support/migrated-data-source';
import { unpublishedEvent } from './support/outbox-rows';
import { usingPostgres } from './support/test-database';

const describeOnPostgres = usingPostgres() ? describe : describe.skip;
if (!usingPostgres())
  console.warn('Skipping the prepared statements test: it runs in the PostgreSQL pass (TEST_DATABASE_URL)');

/**
 * database/prepared-statements.ts: on PostgreSQL the statements the service writes once per shape
 * go by name, so that the server parses and plans them once per connection; nothing else does, and
 * DATABASE_PREPARED_STATEMENTS=false sends none.
 */
describeOnPostgres('named statements on PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof migratedDataSource>>;
  /** One connection, so that `pg_prepared_statements` (a session's own) shows what every statement left. */
  let single: DataSource;
  let unnamed: DataSource;

  const onOneConnection = (preparedStatements: boolean) => {
    const options = dataSourceOptions(
      loadDatabaseConfig({ DATABASE_URL: db.database.url, DATABASE_PREPARED_STATEMENTS: String(preparedStatements) }),
    );
    const extra = (options as { extra?: object }).extra;
    return new DataSource({ ...options, entities: [OutboxEventEntity], extra: { ...extra, max: 1 } }).initialize();
  };
  const prepared = async (source: DataSource) =>
    ((await source.query('SELECT statement FROM pg_prepared_statements')) as { statement: string }[]).map(
      (row) => row.statement,
    );

  beforeAll(async () => {
    db = await migratedDataSource([OutboxEventEntity]);
    single = await onOneConnection(true);
    unnamed = await onOneConnection(false);
  });
  afterAll(async () => {
    await single?.destroy();
    await unnamed?.destroy();
    await db?.close();
  });

  const event = () => unpublishedEvent('{"amount":1000}');

  it("prepares the hot path's statements once per connection, and nothing else", async () => {
    const [first, second] = [event(), event()];
    for (const e of [first, second]) await insertRow(single.manager, OutboxEventEntity, e);
    for (const e of [first, second])
      expect(await findRow(single.manager, OutboxEventEntity, { id: e.id })).toMatchObject({
        id: e.id,
        data: '{"amount":1000}',
      });
    const counter = new PostgresWindowCounter(single);
    expect(await counter.take('m-prepared', 1_764_000_000, 5)).toBe(true);
    expect(await counter.take('m-prepared', 1_764_000_000, 5)).toBe(true);
    const writes = new GuardedWrites();
    const approved = writes.guard(OutboxEventEntity, { relayOwnerInstanceId: 'inst_a' }, { id: first.id });
    await new UnitOfWork(single).runWrites(writes);
    expect(approved.held).toBe(true);
    await single.query('SELECT count(*) FROM outbox_events');

    const statements = await prepared(single);
    expect(statements.filter((s) => s.startsWith('INSERT INTO "outbox_events"'))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('SELECT "seq", "id"'))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('INSERT INTO gateway_rate_windows'))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('WITH w0 AS (UPDATE "outbox_events"'))).toHaveLength(1);
    expect(statements.some((s) => s.includes('count(*) FROM outbox_events'))).toBe(false);
    expect(statements).toHaveLength(4);
  });

  it('keeps reading a row through a prepared statement after a migration adds a column to its table', async () => {
    const stored = event();
    await insertRow(single.manager, OutboxEventEntity, stored);
    expect(await findRow(single.manager, OutboxEventEntity, { id: stored.id })).not.toBeNull();
    // What a rolling deployment's new instance does while this one runs.
    await db.dataSource.query('ALTER TABLE outbox_events ADD COLUMN added_later text');
    try {
      expect(await findRow(single.manager, OutboxEventEntity, { id: stored.id })).toMatchObject({ id: stored.id });
      // Why the columns are spelled out: a prepared `SELECT *` fails once its table has changed.
      const runner = single.createQueryRunner();
      try {
        const client = (await runner.connect()) as {
          query(config: { name: string; text: string }): Promise<unknown>;
        };
        const star = { name: 'star_before_change', text: 'SELECT * FROM outbox_events LIMIT 1' };
        await client.query(star);
        await db.dataSource.query('ALTER TABLE outbox_events ADD COLUMN added_even_later text');
        await expect(client.query(star)).rejects.toThrow('cached plan must not change result type');
      } finally {
        await runner.release();
      }
    } finally {
      await db.dataSource.query(
        'ALTER TABLE outbox_events DROP COLUMN IF EXISTS added_later, DROP COLUMN IF EXISTS added_even_later',
      );
    }
  });

  it('uses a statement again after its first use failed, as once it is prepared', async () => {
    const fresh = await onOneConnection(true);
    try {
      const taken = event();
      await insertRow(db.dataSource.manager, OutboxEventEntity, taken);
      // Parsed, then refused at execution: the statement stays prepared on the connection.
      await expect(
        insertRow(fresh.manager, OutboxEventEntity, Object.assign(event(), { id: taken.id })),
      ).rejects.toThrow(/duplicate key/);
      const next = event();
      await insertRow(fresh.manager, OutboxEventEntity, next);
      expect(await findRow(fresh.manager, OutboxEventEntity, { id: next.id })).toMatchObject({ id: next.id });
      expect((await prepared(fresh)).filter((s) => s.startsWith('INSERT INTO "outbox_events"'))).toHaveLength(1);
    } finally {
      await fresh.destroy();
    }
  });

  it('sends every statement unnamed with DATABASE_PREPARED_STATEMENTS=false', async () => {
    const stored = event();
    await insertRow(unnamed.manager, OutboxEventEntity, stored);
    expect(await findRow(unnamed.manager, OutboxEventEntity, { id: stored.id })).toMatchObject({ id: stored.id });
    expect(await new PostgresWindowCounter(unnamed).take('m-unnamed', 1_764_000_000, 5)).toBe(true);

    expect(await prepared(unnamed)).toEqual([]);
  });
});
