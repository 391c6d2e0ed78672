import { PostgresWindowCounter } from '../apps/payments/src/gateway/rate-limit/postgres-window-counter';
import { migratedDataSource } from './support/migrated-data-source';
import { usingPostgres } from './support/test-database';

const describeOnPostgres = usingPostgres() ? describe : describe.skip;
if (!usingPostgres())
  console.warn('Skipping the PostgreSQL window counter test: it runs in the PostgreSQL pass (TEST_DATABASE_URL)');

const WINDOW = 1_764_000_000;

describeOnPostgres('the shared gateway rate windows on PostgreSQL (gateway_rate_windows)', () => {
  let db: Awaited<ReturnType<typeof migratedDataSource>>;
  let counter: PostgresWindowCounter;
  const used = async (merchant: string) =>
    Object.fromEntries(
      (
        (await db.dataSource.query(
          'SELECT window_start, used FROM gateway_rate_windows WHERE merchant = $1 ORDER BY window_start',
          [merchant],
        )) as { window_start: string; used: number }[]
      ).map((row) => [Number(row.window_start), Number(row.used)]),
    );

  beforeAll(async () => {
    db = await migratedDataSource([]);
    counter = new PostgresWindowCounter(db.dataSource);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('takes a slot of a window and of the next in one statement, never past the limit of either', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => counter.takeSpanning('m-span', WINDOW, 3)));

    expect(results.filter(Boolean)).toHaveLength(3);
    expect(await used('m-span')).toEqual({ [WINDOW]: 3, [WINDOW + 1]: 3 });
  });

  it('counts nothing in the next window when this one is full, and spends this one’s slot when the next is full', async () => {
    for (let i = 0; i < 2; i++) expect(await counter.take('m-full', WINDOW, 2)).toBe(true);
    expect(await counter.takeSpanning('m-full', WINDOW, 2)).toBe(false);
    expect(await used('m-full')).toEqual({ [WINDOW]: 2 });

    for (let i = 0; i < 2; i++) expect(await counter.take('m-next', WINDOW + 1, 2)).toBe(true);
    expect(await counter.takeSpanning('m-next', WINDOW, 2)).toBe(false);
    expect(await used('m-next')).toEqual({ [WINDOW]: 1, [WINDOW + 1]: 2 });
  });

  it('gives a slot back to each of its windows, never below none taken', async () => {
    for (let i = 0; i < 2; i++) expect(await counter.take('m-back', WINDOW, 2)).toBe(true);
    expect(await counter.takeSpanning('m-back', WINDOW + 1, 2)).toBe(true);

    await counter.giveBack('m-back', [WINDOW, WINDOW + 1]);
    expect(await used('m-back')).toEqual({ [WINDOW]: 1, [WINDOW + 1]: 0, [WINDOW + 2]: 1 });

    await counter.giveBack('m-back', [WINDOW + 1]);
    expect(await used('m-back')).toEqual({ [WINDOW]: 1, [WINDOW + 1]: 0, [WINDOW + 2]: 1 });
    expect(await counter.take('m-back', WINDOW, 2)).toBe(true);
  });

  it('keeps its windows in an unlogged table: taking a slot waits for no write to disk', async () => {
    const [table] = (await db.dataSource.query(
      "SELECT relpersistence FROM pg_class WHERE relname = 'gateway_rate_windows'",
    )) as { relpersistence: string }[];
    expect(table.relpersistence).toBe('u');
  });
});
