import { apiCaller } from '../../../test/support/api-client';
import { givenActiveBillingKey } from '../../../test/support/billing-fixtures';
import { createBenchDatabase, type BenchDatabase } from '../../support/bench-database';
import { startGateway, type Gateway } from './gateway';
import { runLoad } from './load';
import type { Load } from './load-process';
import type { NodeProcess } from './node-process';
import { size, type BenchmarkContext } from './ratio';
import { startBare, startService } from './service';

/** Closed-loop concurrency of the CPU benchmarks, the service's and the bare app's alike. */
export const CONCURRENCY = 16;

/** What a CPU benchmark measures with: the service on SQLite and the bare app, started for this run. */
export interface CpuBench {
  service: NodeProcess;
  bare: NodeProcess;
  gateway: Gateway;
  database: BenchDatabase;
  /** An active billing key of the service's, issued through its API. */
  billingKeyId: string;
  /** Measured requests, and warm-up requests before them (the issue's sizes, or `--quick`'s). */
  count: number;
  warmup: number;
  runId: string;
}

/** CPU per request of `target` over `load` (after `warmup` requests of it), read from /proc. */
export async function cpuPerRequest(target: NodeProcess, load: Load, warmup: number) {
  await runLoad({ ...load, count: warmup, runId: `${load.runId}-warmup` });
  const before = target.cpuMs();
  const outcome = await runLoad(load);
  return { cpuMs: (target.cpuMs() - before) / load.count, outcome };
}

/**
 * Runs `measure` with the built service on a throwaway SQLite database (gateway stand-in without
 * latency, no gateway rate in the way) beside the bare baseline app, and stops them all after.
 */
export async function withServiceAndBare<T>(
  context: BenchmarkContext,
  name: string,
  measure: (bench: CpuBench) => Promise<T>,
): Promise<T> {
  const database = await createBenchDatabase('sqlite');
  const gateway = await startGateway(0);
  const bare = await startBare(context.build);
  let service: NodeProcess | undefined;
  try {
    service = await startService(context.build, database.url, gateway.url, { PAYSTORY_RATE_LIMIT: '10000' });
    const key = await givenActiveBillingKey(apiCaller(service.url));
    return await measure({
      service,
      bare,
      gateway,
      database,
      billingKeyId: key.id,
      count: size(context, 2_000, 300),
      warmup: size(context, 200, 50),
      runId: `${name}-${Date.now()}`,
    });
  } finally {
    await service?.stop();
    await bare.stop();
    await gateway.stop();
    await database.drop();
  }
}
