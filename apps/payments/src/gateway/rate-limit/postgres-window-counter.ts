import type { DataSource } from 'typeorm';
import { preparable } from '../../database/prepared-statements';
import type { WindowCounter } from './window-counter';

/** Windows older than this are deleted; a minute leaves them to read when something looks wrong. */
const KEPT_SECONDS = 60;

// On a charge's path: named statements, parsed once per connection (prepared-statements.ts).
const TAKE = preparable(
  `INSERT INTO gateway_rate_windows (merchant, window_start, used) VALUES ($1, $2, 1)
   ON CONFLICT (merchant, window_start) DO UPDATE SET used = gateway_rate_windows.used + 1
   WHERE gateway_rate_windows.used < $3
   RETURNING used`,
);
/** Both windows in one statement: the next window is counted only when the first one's slot was taken. */
const TAKE_SPANNING = preparable(
  `WITH first AS (
     INSERT INTO gateway_rate_windows (merchant, window_start, used) VALUES ($1, $2, 1)
     ON CONFLICT (merchant, window_start) DO UPDATE SET used = gateway_rate_windows.used + 1
     WHERE gateway_rate_windows.used < $3
     RETURNING used
   ), second AS (
     INSERT INTO gateway_rate_windows (merchant, window_start, used)
     SELECT $1, $2 + 1, 1 WHERE EXISTS (SELECT 1 FROM first)
     ON CONFLICT (merchant, window_start) DO UPDATE SET used = gateway_rate_windows.used + 1
     WHERE gateway_rate_windows.used < $3
     RETURNING used
   )
   SELECT used FROM second`,
);
const GIVE_BACK = preparable(
  `UPDATE gateway_rate_windows SET used = used - 1
   WHERE merchant = $1 AND window_start = ANY($2::bigint[]) AND used > 0`,
);

/**
 * The count in PostgreSQL's `gateway_rate_windows`, shared by every instance. A slot is taken by one
 * atomic statement: the first taker inserts the window's row, later ones add to it only while it
 * is under the limit (the row lock serialises them), so no window ever counts more than `limit`.
 * It runs as its own statement, outside a unit of work: a transaction around it would only hold the
 * row lock longer. Old windows are deleted by the janitor ({@link forgetOld}), not by a taker: a
 * charge's request path runs one statement here.
 */
export class PostgresWindowCounter implements WindowCounter {
  constructor(private readonly dataSource: DataSource) {}

  async take(merchant: string, windowStart: number, limit: number): Promise<boolean> {
    const rows = (await this.dataSource.query(TAKE, [merchant, windowStart, limit])) as { used: number }[];
    return rows.length > 0;
  }

  /** Both windows at once ({@link TAKE_SPANNING}). */
  async takeSpanning(merchant: string, windowStart: number, limit: number): Promise<boolean> {
    const rows = (await this.dataSource.query(TAKE_SPANNING, [merchant, windowStart, limit])) as { used: number }[];
    return rows.length > 0;
  }

  async giveBack(merchant: string, windowStarts: readonly number[]): Promise<void> {
    await this.dataSource.query(GIVE_BACK, [merchant, windowStarts]);
  }

  async forgetOld(windowStart: number): Promise<void> {
    await this.dataSource.query('DELETE FROM gateway_rate_windows WHERE window_start < $1', [
      windowStart - KEPT_SECONDS,
    ]);
  }
}
