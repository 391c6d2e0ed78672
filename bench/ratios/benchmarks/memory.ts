import { runFleet } from '../support/fleet';
import { ratio, round, size, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';

/** "Flat": the larger run's RSS peak at most this many times the smaller's. */
const FLAT = 1.2;

/**
 * 6. Memory: one instance charges every due subscription (SQLite, no gateway latency, no rate
 * limit in the way, 16 in flight), once with 10,000 due and once with 100,000, each in a fresh
 * service process; the RSS peak is the process's VmHWM.
 */
export async function memory(context: BenchmarkContext): Promise<Omit<BenchmarkResult, 'loadAverageBefore'>> {
  const small = size(context, 10_000, 1_000);
  const large = size(context, 100_000, 10_000);
  const run = (count: number) =>
    runFleet({
      build: context.build,
      store: 'sqlite',
      count,
      instances: 1,
      latencyMs: 0,
      env: { SUBSCRIPTION_CONCURRENCY: '16', SUBSCRIPTION_RATE_LIMIT: '10000', PAYSTORY_RATE_LIMIT: '10000' },
      timeoutMs: count * 100,
    });
  const smaller = await run(small);
  const larger = await run(large);
  return {
    name: 'memory',
    ratios: [
      ratio(`RSS peak (MB), ${large} due subscriptions`, round(larger.peakRssMb, 0), 300, true),
      ratio(
        `RSS peak ${large} / RSS peak ${small} ("flat": ≤ ${FLAT})`,
        round(larger.peakRssMb / smaller.peakRssMb),
        FLAT,
        true,
      ),
    ],
    figures: {
      [`RSS peak at ${small} (MB)`]: round(smaller.peakRssMb, 0),
      [`RSS peak at ${large} (MB)`]: round(larger.peakRssMb, 0),
      [`charged/s at ${small}`]: round(small / (smaller.wallMs / 1000), 0),
      [`charged/s at ${large}`]: round(large / (larger.wallMs / 1000), 0),
    },
    checked:
      'each subscription exactly one approved attempt in the database and one approval per order at the gateway stand-in, in both runs',
  };
}
