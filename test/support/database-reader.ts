import { eventually } from './waiting';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { Pool, types } from 'pg';
import type { TestDatabase } from './test-database';

/** Reads the service's database through a connection of its own, whichever store it is. */
export interface DatabaseReader {
  /** Rows of `sql`, written with `?` placeholders; integers come back as numbers and booleans as 0/1 on both stores. */
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Everything the database holds, as text to search: SQLite's file bytes (as latin1), or PostgreSQL's every row of every table. */
  storedText(): Promise<string>;
  close(): Promise<void>;
}

const PG_INT8 = 20;
const PG_BOOL = 16;

export function databaseReader(database: TestDatabase): DatabaseReader {
  return database.sqlitePath ? sqliteReader(database.sqlitePath) : postgresReader(database.url);
}

/** A fresh read-only connection per query, so each sees what the service committed last. */
function sqliteReader(path: string): DatabaseReader {
  return {
    query: async <T>(sql: string, ...params: unknown[]) => {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    // Every byte on disk: the main file and its write-ahead log, which holds the latest pages.
    storedText: async () =>
      Buffer.concat([path, `${path}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p))).toString('latin1'),
    close: async () => undefined,
  };
}

/**
 * One connection (a pool of one: it connects on first use and queues concurrent queries). Its own
 * type parsers (not pg's global ones, which the in-process service shares) give BIGINTs as numbers
 * and booleans as 0/1, as SQLite answers.
 */
function postgresReader(url: string): DatabaseReader {
  const parsers: Record<number, (value: string) => unknown> = {
    [PG_INT8]: Number,
    [PG_BOOL]: (value) => (value === 't' ? 1 : 0),
  };
  const pool = new Pool({
    connectionString: url,
    max: 1,
    types: {
      getTypeParser: ((oid: number, format?: 'text') =>
        parsers[oid] ?? types.getTypeParser(oid, format)) as typeof types.getTypeParser,
    },
  });
  let closed = false;
  // A deployment drops its database (WITH (FORCE)) right after close(): pg's end of the last connection
  // can still be under way, and the server ending it then is reported as an idle client's error. Not
  // a failure of whatever test runs next; before close() it is one, as without this listener.
  pool.on('error', (error) => {
    if (!closed) throw error;
  });
  const query = async <T>(sql: string, ...params: unknown[]): Promise<T[]> => {
    let n = 0;
    return (
      await pool.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      )
    ).rows as T[];
  };
  return {
    query,
    // The server's files are out of reach (and compressed, TOAST), so the text of every row of every table stands for them.
    storedText: async () => {
      const tables = await query<{ name: string }>(
        "SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      );
      const text: string[] = [];
      for (const { name } of tables)
        text.push(
          ...(await query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${name} t`)).map((r) => r.row),
        );
      return text.join('\n');
    },
    close: () => {
      closed = true;
      return pool.end();
    },
  };
}

/** A stored payment row, as the tests read it (column names as in the migration). */
export interface PaymentRow {
  id: string;
  order_id: string;
  status: string;
  amount: number;
  tid: string | null;
  failure_code: string | null;
  needs_attention: number;
  resolve_attempts: number;
  next_resolve_at: string | Date | null;
}

export function paymentRows(db: DatabaseReader, where = '1 = 1', ...params: unknown[]): Promise<PaymentRow[]> {
  return db.query<PaymentRow>(`SELECT * FROM payments WHERE ${where}`, ...params);
}

export async function countPayments(db: DatabaseReader): Promise<number> {
  return (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM payments'))[0].n;
}

/** The gateway's billing key (bid) behind a billing key id: only the database and the gateway know it. */
export async function billingKeyBid(db: DatabaseReader, billingKeyId: string): Promise<string> {
  const [row] = await db.query<{ bid: string }>('SELECT bid FROM billing_keys WHERE id = ?', billingKeyId);
  if (!row) throw new Error(`No billing key ${billingKeyId} is stored`);
  return row.bid;
}

/** A stored cancellation: where it came from and how it ended. */
export interface CancellationRow {
  tid: string | null;
  amount: number;
  status: string;
  source: string;
}

/** The stored cancellations of a payment, oldest first (its GET lists them only after a cancel or sync). */
export function cancellationRows(db: DatabaseReader, paymentId: string): Promise<CancellationRow[]> {
  return db.query<CancellationRow>(
    'SELECT tid, amount, status, source FROM cancellations WHERE payment_id = ? ORDER BY created_at',
    paymentId,
  );
}

/** Waits until every one of `subscriptions` has moved on to period `period` (its earlier ones charged). */
export async function untilAllInPeriod(
  db: DatabaseReader,
  subscriptions: { id: string }[],
  period: number,
  timeoutMs = 60_000,
): Promise<void> {
  const ids = subscriptions.map((s) => s.id);
  await eventually(
    async () =>
      (
        await db.query<{ n: number }>(
          `SELECT COUNT(*) AS n FROM subscriptions WHERE period_index = ? AND id IN (${ids.map(() => '?').join(', ')})`,
          period,
          ...ids,
        )
      )[0].n,
    (n) => Number(n) === ids.length,
    timeoutMs,
    250,
  );
}
