import { createHash } from 'node:crypto';
import { DeadlineClient } from './statement-deadline';

/**
 * Named (prepared) statements on PostgreSQL for the statements the service writes once per shape:
 * the hot path's reads and writes (row-statements.ts, GuardedWrites) and the gateway rate's
 * counter. PostgreSQL then parses and plans each of them once per connection instead of on every
 * call: about 0.8 ms of the server's CPU a charge, and as much off its latency
 * (docs/benchmarks.md, ninth round). Every other statement goes as before, unnamed.
 *
 * Only statements whose result columns are spelled out (no `SELECT *`, no `RETURNING *`) are
 * registered: PostgreSQL re-plans a prepared statement by itself when a migration changes a table
 * under it, but fails one whose result columns would change ("cached plan must not change result
 * type"), as `*` would when a rolling deployment adds a column.
 */
const MAX_PREPARED = 500;
const names = new Map<string, string>();

/** Registers `sql` to be sent as a named statement; returns it. Past MAX_PREPARED shapes, it goes unnamed. */
export function preparable(sql: string): string {
  if (!names.has(sql) && names.size < MAX_PREPARED)
    names.set(sql, `paystory_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`);
  return sql;
}

/**
 * The pool's client class (node-postgres `Pool({ Client })`) with prepared statements on: sends a
 * registered statement under its name, so that node-postgres parses it once per connection (pg
 * keeps the names each connection has parsed). TypeORM sees the same text, logger, errors and
 * results as before. Its statements are bounded as every client's ({@link DeadlineClient}).
 */
export class PreparingClient extends DeadlineClient {
  // pg's own overloads, taken whole: only a registered text (the first argument) is given its name.
  override query(...args: unknown[]): never {
    const [text, ...rest] = args;
    const name = typeof text === 'string' ? names.get(text) : undefined;
    const send = super.query as (...a: unknown[]) => never;
    return name ? send.call(this, { name, text }, ...rest) : send.apply(this, args);
  }
}
