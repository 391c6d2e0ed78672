import { runFleet } from '../support/fleet';
import { ratio, round, size, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';

const INSTANCES = 3;
const LATENCY_MS = 200;
const CONCURRENCY_EACH = 10;
const RATE = 200;

/**
 * 3. Scheduler: N due subscriptions on PostgreSQL, 3 instances of 10 charges in flight each (C = 30),
 * gateway latency L = 200 ms, merchant rate R = 200/s shared by the instances. ideal wall =
 * N · max(L / C, 1 / R); ideal / wall, once undisturbed and once with an instance SIGKILLed at half way.
 */
export async function scheduler(context: BenchmarkContext): Promise<Omit<BenchmarkResult, 'loadAverageBefore'>> {
  const count = size(context, 10_000, 1_000);
  const idealMs = count * Math.max(LATENCY_MS / (INSTANCES * CONCURRENCY_EACH), 1000 / RATE);
  const plan = {
    build: context.build,
    store: 'postgres' as const,
    count,
    instances: INSTANCES,
    latencyMs: LATENCY_MS,
    env: {
      SUBSCRIPTION_CONCURRENCY: String(CONCURRENCY_EACH),
      SUBSCRIPTION_RATE_LIMIT: String(RATE),
      PAYSTORY_RATE_LIMIT: String(RATE),
    },
    // Long enough for a claim to wait out the default SUBSCRIPTION_CLAIM_LEASE_MS (300 s) after the kill.
    timeoutMs: Math.max(20 * idealMs, 420_000),
  };
  const undisturbed = await runFleet(plan);
  const killed = await runFleet({ ...plan, killAtHalf: true });
  return {
    name: 'scheduler',
    ratios: [
      ratio(
        `ideal / wall, ${count} due, 3 instances, C = 30, L = 200 ms, R = 200/s`,
        round(idealMs / undisturbed.wallMs),
        0.85,
      ),
      ratio('ideal / wall, one instance SIGKILLed at half way and restarted', round(idealMs / killed.wallMs), 0.75),
    ],
    figures: {
      'due subscriptions': count,
      'ideal (s)': round(idealMs / 1000, 1),
      'wall (s)': round(undisturbed.wallMs / 1000, 1),
      'wall with a kill (s)': round(killed.wallMs / 1000, 1),
      'service CPU per charge (ms, all instances)': round(undisturbed.cpuMs / count),
      'service CPU share (cores, all instances)': round(undisturbed.cpuMs / undisturbed.wallMs),
    },
    checked:
      'each subscription exactly one approved attempt in the database and one approval per order at the gateway stand-in, in both runs',
  };
}
