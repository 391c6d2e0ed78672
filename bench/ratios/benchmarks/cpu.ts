import { apiCaller, TEST_API_KEY } from '../../../test/support/api-client';
import { givenActiveBillingKey } from '../../../test/support/billing-fixtures';
import { createBenchDatabase } from '../../support/bench-database';
import { startGateway } from '../support/gateway';
import { runLoad } from '../support/load';
import type { Load } from '../support/load-process';
import type { NodeProcess } from '../support/node-process';
import { ratio, round, size, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';
import { startBare, startService } from '../support/service';
import { expectOneApprovalPerOrder } from '../support/subscriptions';

const CONCURRENCY = 16;

/** CPU per request of `target` over `load` (after `warmup` requests of it), read from /proc. */
export async function cpuPerRequest(target: NodeProcess, load: Load, warmup: number) {
  await runLoad({ ...load, count: warmup, runId: `${load.runId}-warmup` });
  const before = target.cpuMs();
  const outcome = await runLoad(load);
  return { cpuMs: (target.cpuMs() - before) / load.count, outcome };
}

/**
 * 1. CPU per charge: `POST /v1/payments` on SQLite, closed loop at concurrency 16, against the bare
 * app's `POST /bare` with the same body, count and concurrency, in the same run.
 */
export async function cpuPerCharge(context: BenchmarkContext): Promise<Omit<BenchmarkResult, 'loadAverageBefore'>> {
  const count = size(context, 2_000, 300);
  const warmup = size(context, 200, 50);
  const database = await createBenchDatabase('sqlite');
  const gateway = await startGateway(0);
  const bare = await startBare(context.build);
  let service: NodeProcess | undefined;
  try {
    service = await startService(context.build, database.url, gateway.url, { PAYSTORY_RATE_LIMIT: '10000' });
    const key = await givenActiveBillingKey(apiCaller(service.url));
    const runId = `cpu-${Date.now()}`;
    const common = { count, concurrency: CONCURRENCY, runId };
    const baseline = await cpuPerRequest(bare, { ...common, url: bare.url, kind: 'bare' }, warmup);
    const charges = await cpuPerRequest(
      service,
      { ...common, url: service.url, kind: 'charge', apiKey: TEST_API_KEY, billingKeyId: key.id },
      warmup,
    );
    if (charges.outcome.statuses['201'] !== count)
      throw new Error(`answers: ${JSON.stringify(charges.outcome.statuses)}`);
    await expectOneApprovalPerOrder(gateway.url, charges.outcome.orderIds);
    return {
      name: 'cpu',
      ratios: [ratio('bare POST CPU / charge CPU (SQLite)', round(baseline.cpuMs / charges.cpuMs), 0.4)],
      figures: {
        charges: count,
        concurrency: CONCURRENCY,
        'charge CPU (ms)': round(charges.cpuMs),
        'bare POST CPU (ms)': round(baseline.cpuMs),
        'charges/s': round(count / (charges.outcome.elapsedMs / 1000), 0),
        'charge p50 (ms)': round(charges.outcome.latencyMs.p50, 1),
      },
      checked: `${count} charges answered 201, one approval per order at the gateway stand-in`,
    };
  } finally {
    await service?.stop();
    await bare.stop();
    await gateway.stop();
    await database.drop();
  }
}
