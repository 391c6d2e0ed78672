/**
 * SQL for the database's own clock `ms` milliseconds ago, in the form its timestamp columns hold
 * (TypeORM writes SQLite's as `YYYY-MM-DD HH:MM:SS.SSS` UTC, which compares as text). Liveness is
 * written and judged by this one clock, so instances whose own clocks disagree still agree on who is alive.
 */
export function databaseTimeAgo(postgres: boolean, ms: number): string {
  const whole = Math.trunc(ms);
  return postgres
    ? `(now() - interval '${whole} milliseconds')`
    : `strftime('%Y-%m-%d %H:%M:%f', 'now', '-${whole / 1000} seconds')`;
}
