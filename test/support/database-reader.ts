import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';

/** Rows of a query run on the service's SQLite file through a separate read-only connection. */
export function queryDatabase<T>(databasePath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
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
}

export function paymentRows(databasePath: string, where = '1 = 1', ...params: unknown[]): PaymentRow[] {
  return queryDatabase<PaymentRow>(databasePath, `SELECT * FROM payments WHERE ${where}`, ...params);
}

export function countPayments(databasePath: string): number {
  return queryDatabase<{ n: number }>(databasePath, 'SELECT COUNT(*) AS n FROM payments')[0].n;
}

/** Every byte the database holds on disk: the main file and its write-ahead log, which holds the latest pages. */
export function databaseFileBytes(databasePath: string): Buffer {
  return Buffer.concat([databasePath, `${databasePath}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
}
