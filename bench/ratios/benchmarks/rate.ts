import { runFleet } from '../support/fleet';
import { ratio, round, size, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';

const INSTANCES = 3;
const RATE = 200;
/** Short enough that C / L (1,500/s) is far above R: the shared limit sets the pace, nothing else should. */
const LATENCY_MS = 20;

/**
 * 4. One gateway rate per merchant shared by every instance: 3 instances charge due subscriptions
 * with R = 200/s, each instance's own pace also R. Counted at the gateway stand-in in aligned
 * one-second windows: achieved = mean arrivals per full window (the first and last are partial); windows over R.
 */
export async function sharedRate(context: BenchmarkContext): Promise<Omit<BenchmarkResult, 'loadAverageBefore'>> {
  const count = size(context, 20 * RATE, 5 * RATE);
  // BENCH_RATE_REDIS_URL: the instances count in that Redis (PAYSTORY_RATE_LIMIT_REDIS_URL) instead of PostgreSQL.
  const redisUrl = process.env.BENCH_RATE_REDIS_URL;
  const run = await runFleet({
    build: context.build,
    store: 'postgres',
    count,
    instances: INSTANCES,
    latencyMs: LATENCY_MS,
    env: {
      SUBSCRIPTION_CONCURRENCY: '10',
      SUBSCRIPTION_RATE_LIMIT: String(RATE),
      PAYSTORY_RATE_LIMIT: String(RATE),
      ...(redisUrl ? { PAYSTORY_RATE_LIMIT_REDIS_URL: redisUrl } : {}),
    },
    timeoutMs: Math.max((20 * count * 1000) / RATE, 120_000),
  });
  const windows = oneSecondWindows(run.times.arrivals);
  const full = windows.slice(1, -1);
  const achieved = full.length > 0 ? full.reduce((a, b) => a + b, 0) / full.length : 0;
  const over = windows.filter((n) => n > RATE).length;
  return {
    name: 'rate',
    ratios: [
      ratio('achieved / R, R = 200/s, 3 instances, at the gateway stand-in', round(achieved / RATE), 0.95),
      ratio('one-second windows over R', over, 0, true),
    ],
    figures: {
      'counted in': redisUrl ? 'Redis' : 'PostgreSQL',
      charges: count,
      'full windows': full.length,
      'achieved (charges/s)': round(achieved, 1),
      'busiest aligned second': Math.max(...windows),
      'busiest second, sliding (not a target)': busiestSlidingSecond(run.times.arrivals),
      'service CPU per charge (ms, all instances)': round(run.cpuMs / count),
      'service CPU share (cores, all instances)': round(run.cpuMs / run.wallMs),
    },
    checked:
      'each subscription exactly one approved attempt in the database and one approval per order at the gateway stand-in',
  };
}

/**
 * Arrivals per aligned one-second window (whole epoch seconds, as the service's limiter counts),
 * from the first arrival's second to the last's; the first and last are partial.
 */
function oneSecondWindows(arrivals: number[]): number[] {
  const first = Math.floor(arrivals.reduce((a, b) => Math.min(a, b), Infinity) / 1000);
  const counts: number[] = [];
  for (const at of arrivals) {
    const w = Math.floor(at / 1000) - first;
    counts[w] = (counts[w] ?? 0) + 1;
  }
  return Array.from(counts, (n) => n ?? 0);
}

/** The most arrivals in any one second, wherever it starts. */
function busiestSlidingSecond(arrivals: number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
