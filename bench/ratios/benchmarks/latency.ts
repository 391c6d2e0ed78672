import { apiCaller, TEST_API_KEY } from '../../../test/support/api-client';
import { givenActiveBillingKey } from '../../../test/support/billing-fixtures';
import { createBenchDatabase } from '../../support/bench-database';
import { startGateway } from '../support/gateway';
import { runLoad } from '../support/load';
import type { NodeProcess } from '../support/node-process';
import { ratio, round, size, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';
import { startFloor, startMinimal, startService } from '../support/service';
import { expectOneApprovalPerOrder } from '../support/subscriptions';

const LATENCY_MS = 50;
const PER_SECOND = 200;

/**
 * 2. Added latency: the gateway stand-in answers in L = 50 ms; charges arrive open loop at 200/s on
 * PostgreSQL, latency counted from each one's scheduled departure. p50 − L and p99 / L. Before the
 * service, the floor app (bench/ratios/floor) and the minimal app (bench/ratios/minimal) take the
 * same schedule, each on a PostgreSQL database of its own, as figures: the latency a charge's bare
 * statements and gateway call show on this machine at this load, on this stack and without it.
 */
export async function addedLatency(context: BenchmarkContext): Promise<Omit<BenchmarkResult, 'loadAverageBefore'>> {
  const count = size(context, 20 * PER_SECOND, 5 * PER_SECOND);
  const database = await createBenchDatabase('postgres');
  const gateway = await startGateway(LATENCY_MS);
  let service: NodeProcess | undefined;
  try {
    // Warmed up by the load that is measured, without a pause: its first 8 s, which is how long a
    // fresh service and client take to settle at this rate (docs/benchmarks.md, eighth round).
    const warmup = 8 * PER_SECOND;
    const schedule = { count, warmup, perSecond: PER_SECOND };
    const floor = await latencyOf('floor', (db) => startFloor(context.build, db, gateway.url), schedule);
    const minimal = await latencyOf('minimal', (db) => startMinimal(context.build, db, gateway.url), schedule);

    // The merchant's gateway rate as high as allowed: the limiter is benchmark 4's business (a slot an overloaded
    // process could not use in time is taken again, which must not spend the budget of this benchmark's load).
    service = await startService(context.build, database.url, gateway.url, { PAYSTORY_RATE_LIMIT: '10000' });
    const key = await givenActiveBillingKey(apiCaller(service.url));
    const load = { url: service.url, kind: 'charge' as const, apiKey: TEST_API_KEY, billingKeyId: key.id };
    const runId = `latency-${Date.now()}`;
    const before = service.cpuMs();
    const outcome = await runLoad({ ...load, ...schedule, runId });
    // Over every charge of the load, the warm-up's included.
    const cpuMs = (service.cpuMs() - before) / (warmup + count);
    const answered = outcome.statuses['201'] ?? 0;
    // Open loop past what the service can take: some connections may time out; every charge that got in must be right.
    if (answered + (outcome.statuses.error ?? 0) !== count)
      throw new Error(`answers: ${JSON.stringify(outcome.statuses)}`);
    await expectOneApprovalPerOrder(gateway.url, outcome.orderIds);
    const { p50, p99, max } = outcome.latencyMs;
    return {
      name: 'latency',
      ratios: [
        ratio('p50 − L (ms), L = 50 ms, 200 charges/s open loop, PostgreSQL', round(p50 - LATENCY_MS, 1), 3, true),
        ratio('p99 / L', round(p99 / LATENCY_MS), 1.3, true),
      ],
      figures: {
        charges: count,
        'offered (charges/s)': PER_SECOND,
        'achieved (charges/s)': round(answered / (outcome.elapsedMs / 1000), 0),
        'connections refused or timed out': outcome.statuses.error ?? 0,
        'p50 (ms)': round(p50, 1),
        'p99 (ms)': round(p99, 1),
        'max (ms)': round(max, 1),
        'service CPU per charge (ms)': round(cpuMs),
        'load generator CPU per charge (ms)': round(outcome.clientCpuMs),
        'floor p50 − L (ms): the best this stack shows here (not a target)': round(floor.p50 - LATENCY_MS, 1),
        'floor p99 / L (not a target)': round(floor.p99 / LATENCY_MS),
        'p50 over the floor p50 (ms, not a target)': round(p50 - floor.p50, 1),
        'minimal p50 − L (ms): the best Node shows here without the framework (not a target)': round(
          minimal.p50 - LATENCY_MS,
          1,
        ),
        'minimal p99 / L (not a target)': round(minimal.p99 / LATENCY_MS),
      },
      checked: `${answered} charges answered 201 (the rest never connected), one approval per order at the gateway stand-in`,
    };
  } finally {
    await service?.stop();
    await gateway.stop();
    await database.drop();
  }
}

/** The latency of the floor or minimal app under `schedule`, on a PostgreSQL database of its own. */
async function latencyOf(
  kind: 'floor' | 'minimal',
  start: (databaseUrl: string) => Promise<NodeProcess>,
  schedule: { count: number; warmup: number; perSecond: number },
) {
  const database = await createBenchDatabase('postgres');
  try {
    const app = await start(database.url);
    // The minimal app answers the floor's request (any POST path) with the floor's work.
    const outcome = await runLoad({
      ...schedule,
      url: app.url,
      kind: 'floor',
      runId: `latency-${kind}-${Date.now()}`,
    }).finally(() => app.stop());
    if (outcome.statuses['201'] !== schedule.count)
      throw new Error(`${kind} answers: ${JSON.stringify(outcome.statuses)}`);
    return outcome.latencyMs;
  } finally {
    await database.drop();
  }
}
