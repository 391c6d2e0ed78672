import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource, Logger } from 'typeorm';
import { GuardedWrites } from '../apps/payments/src/database/guarded-writes';
import { UnitOfWork } from '../apps/payments/src/database/unit-of-work';
import { OutboxEventEntity } from '../apps/payments/src/events/entities/outbox-event.entity';
import { IdempotencyRecordEntity } from '../apps/payments/src/idempotency/entities/idempotency-record.entity';
import { migratedDataSource } from './support/migrated-data-source';
import { unpublishedEvent } from './support/outbox-rows';
import { usingPostgres } from './support/test-database';

class Taken extends Error {}

/**
 * The writes of one change, each made only if the guards before it held, against a real database
 * (SQLite here, PostgreSQL in the PostgreSQL pass, where they are one statement).
 */
describe('Guarded writes', () => {
  let store: Awaited<ReturnType<typeof migratedDataSource>>;
  let dataSource: DataSource;
  let uow: UnitOfWork;
  const sent: string[] = [];

  beforeAll(async () => {
    store = await migratedDataSource([IdempotencyRecordEntity, OutboxEventEntity]);
    dataSource = store.dataSource;
    uow = new UnitOfWork(dataSource);
    const logger = dataSource.logger;
    const logQuery: Logger['logQuery'] = (query, parameters, runner) => {
      sent.push(query);
      return logger.logQuery(query, parameters, runner);
    };
    (dataSource as { logger: Logger }).logger = Object.assign(Object.create(logger) as Logger, { logQuery });
  });

  afterAll(async () => {
    await store?.close();
  });

  function record(): IdempotencyRecordEntity {
    const now = Date.now();
    return Object.assign(new IdempotencyRecordEntity(), {
      id: `idem_${randomUUID()}`.slice(0, 40),
      scope: 'scope',
      key: randomUUID(),
      fingerprint: 'fingerprint',
      state: 'IN_FLIGHT',
      responseStatus: null,
      responseBody: null,
      lockedUntil: new Date(now + 60_000),
      ownerInstanceId: null,
      expiresAt: new Date(now + 3_600_000),
    });
  }

  const event = () => unpublishedEvent();

  const stored = (r: IdempotencyRecordEntity) =>
    dataSource.getRepository(IdempotencyRecordEntity).findOneBy({ id: r.id });
  const eventStored = (e: OutboxEventEntity) => dataSource.getRepository(OutboxEventEntity).existsBy({ id: e.id });

  async function given(r: IdempotencyRecordEntity): Promise<IdempotencyRecordEntity> {
    await dataSource.getRepository(IdempotencyRecordEntity).insert(r);
    return r;
  }

  it('makes every write after a guard that holds, and runs the hooks once', async () => {
    const [first, second] = [await given(record()), await given(record())];
    const e = event();
    const writes = new GuardedWrites();
    const hooks: string[] = [];
    const guard = writes.guard(
      IdempotencyRecordEntity,
      { state: 'COMPLETED', responseStatus: 201 },
      { id: first.id, state: 'IN_FLIGHT' },
    );
    writes.insert(OutboxEventEntity, e);
    writes.update(
      IdempotencyRecordEntity,
      { responseStatus: 409 },
      { id: second.id, state: ['IN_FLIGHT', 'COMPLETED'] },
    );
    writes.afterCommit(() => hooks.push('after'));

    await uow.runWrites(writes);

    expect(guard.held).toBe(true);
    expect(await stored(first)).toMatchObject({ state: 'COMPLETED', responseStatus: 201 });
    expect(await eventStored(e)).toBe(true);
    expect((await stored(second))?.responseStatus).toBe(409);
    expect(hooks).toEqual(['after']);
  });

  it('makes nothing after a guard that matches no row, later guards included, and runs only the hooks before it', async () => {
    const [first, second] = [await given(record()), await given(record())];
    const e = event();
    const writes = new GuardedWrites();
    const hooks: string[] = [];
    writes.afterCommit(() => hooks.push('before'));
    const stale = writes.guard(IdempotencyRecordEntity, { state: 'COMPLETED' }, { id: first.id, state: 'COMPLETED' });
    writes.insert(OutboxEventEntity, e);
    const later = writes.guard(IdempotencyRecordEntity, { responseStatus: 500 }, { id: second.id });
    writes.afterCommit(() => hooks.push('after'));

    await uow.runWrites(writes);

    expect([stale.held, later.held]).toEqual([false, false]);
    expect((await stored(first))?.state).toBe('IN_FLIGHT');
    expect(await eventStored(e)).toBe(false);
    expect((await stored(second))?.responseStatus).toBeNull();
    expect(hooks).toEqual(['before']);
  });

  it('throws the error of a claim whose key is taken, having written nothing', async () => {
    const holder = await given(record());
    const e = event();
    const writes = new GuardedWrites();
    writes.claim(IdempotencyRecordEntity, { ...record(), key: holder.key }, () => new Taken());
    writes.insert(OutboxEventEntity, e);

    await expect(uow.runWrites(writes)).rejects.toBeInstanceOf(Taken);
    expect(await eventStored(e)).toBe(false);
    expect(await dataSource.getRepository(IdempotencyRecordEntity).countBy({ key: holder.key })).toBe(1);
  });

  it('writes a claim of a free key with what follows it', async () => {
    const claimed = record();
    const e = event();
    const writes = new GuardedWrites();
    writes.claim(IdempotencyRecordEntity, claimed, () => new Taken());
    writes.insert(OutboxEventEntity, e);

    await uow.runWrites(writes);

    expect(await stored(claimed)).toMatchObject({ key: claimed.key, state: 'IN_FLIGHT', fingerprint: 'fingerprint' });
    expect(await eventStored(e)).toBe(true);
  });

  it('leaves nothing of them when one fails', async () => {
    const first = await given(record());
    const duplicate = event();
    await dataSource.getRepository(OutboxEventEntity).insert(duplicate);
    const writes = new GuardedWrites();
    writes.guard(IdempotencyRecordEntity, { state: 'COMPLETED' }, { id: first.id });
    writes.insert(OutboxEventEntity, { ...event(), id: duplicate.id });

    await expect(uow.runWrites(writes)).rejects.toThrow();
    expect((await stored(first))?.state).toBe('IN_FLIGHT');
  });

  it('joins the transaction it is written in: rolled back with it, its hooks never run', async () => {
    const first = await given(record());
    const writes = new GuardedWrites();
    const hooks: string[] = [];
    writes.guard(IdempotencyRecordEntity, { state: 'COMPLETED' }, { id: first.id });
    writes.afterCommit(() => hooks.push('after'));

    await expect(
      uow.run(async (m) => {
        await uow.writeIn(m, writes);
        throw new Error('the rest of the transaction failed');
      }),
    ).rejects.toThrow('the rest of the transaction failed');

    expect((await stored(first))?.state).toBe('IN_FLIGHT');
    expect(hooks).toEqual([]);
  });

  it('is one statement on PostgreSQL, and the statements of one transaction on SQLite', async () => {
    const first = await given(record());
    const writes = new GuardedWrites();
    writes.guard(IdempotencyRecordEntity, { state: 'COMPLETED' }, { id: first.id });
    writes.insert(OutboxEventEntity, event());
    writes.insert(OutboxEventEntity, event());
    sent.length = 0;

    await uow.runWrites(writes);

    if (usingPostgres()) expect(sent).toHaveLength(1);
    else expect(sent.filter((sql) => !/^(BEGIN|COMMIT)/.test(sql))).toHaveLength(3);
  });
});
