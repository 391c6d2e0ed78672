import type { DataSource } from 'typeorm';
import type { WindowCounter } from './window-counter';

/** Windows older than this are deleted; a minute leaves them to read when something looks wrong. */
const KEPT_SECONDS = 60;

/**
 * The count in PostgreSQL's `gateway_rate_windows`, shared by every instance. A slot is taken by one
 * atomic statement: the first taker inserts the window's row, later ones add to it only while it
 * is under the limit (the row lock serialises them), so no window ever counts more than `limit`.
 * It runs as its own statement, outside a unit of work: a transaction around it would only hold the
 * row lock longer. Whoever opens a window deletes the merchant's old ones.
 */
export class PostgresWindowCounter implements WindowCounter {
  constructor(private readonly dataSource: DataSource) {}

  async take(merchant: string, windowStart: number, limit: number): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO gateway_rate_windows (merchant, window_start, used) VALUES ($1, $2, 1)
       ON CONFLICT (merchant, window_start) DO UPDATE SET used = gateway_rate_windows.used + 1
       WHERE gateway_rate_windows.used < $3
       RETURNING used`,
      [merchant, windowStart, limit],
    )) as { used: number }[];
    if (rows.length === 0) return false;
    if (rows[0].used === 1)
      await this.dataSource.query('DELETE FROM gateway_rate_windows WHERE merchant = $1 AND window_start < $2', [
        merchant,
        windowStart - KEPT_SECONDS,
      ]);
    return true;
  }
}
