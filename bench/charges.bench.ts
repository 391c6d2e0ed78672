import { join } from 'node:path';
import { startLocalService } from '../apps/local/src/start-local-service';
import { apiCaller, TEST_API_KEY } from '../test/support/api-client';
import { givenActiveBillingKey } from '../test/support/billing-fixtures';
import { SandboxInspector } from '../test/support/sandbox-inspector';
import { UNREACHABLE_URL } from '../test/support/unreachable-url';
import { createBenchDatabase, type Store } from './support/bench-database';
import type { LoadPlan, LoadResult } from './support/load-generator';
import { cpuMsSince, mb, samplePeaks, settledMemory } from './support/resources';
import { exited, option, spawnTs } from './support/processes';

/**
 * `POST /v1/payments` under load: the service and its in-process sandbox gateway in this process
 * (as `npm start` runs them), the HTTP client in a child process. Options: --store=sqlite|postgres,
 * --charges=2000, --concurrency=16, --warmup=200.
 */
async function main(): Promise<void> {
  const store = option('store', 'sqlite') as Store;
  const count = Number(option('charges', '2000'));
  const concurrency = Number(option('concurrency', '16'));
  const warmup = Number(option('warmup', '200'));

  const database = await createBenchDatabase(store);
  const service = await startLocalService({
    env: {
      PORT: '0',
      DATABASE_URL: database.url,
      API_KEYS: TEST_API_KEY,
      JANITOR_ENABLED: 'false',
      SUBSCRIPTION_SCHEDULER_ENABLED: 'false',
      // The service's own throughput is measured, not the merchant's gateway rate.
      PAYSTORY_RATE_LIMIT: '10000',
      // The charge's own answer settles it; the gateway's notification would be a second, concurrent path: it goes nowhere.
      PUBLIC_BASE_URL: UNREACHABLE_URL,
    },
    logger: false,
    sandbox: { notiRetryDelaysMs: [] },
  });
  try {
    const key = await givenActiveBillingKey(apiCaller(service.url));
    const plan: LoadPlan = {
      url: service.url,
      apiKey: TEST_API_KEY,
      billingKeyId: key.id,
      count,
      concurrency,
      runId: `bench-${Date.now()}`,
    };
    // Warm-up: the JIT, the connection pools and the statement caches are hot before anything is measured.
    await runLoad({ ...plan, count: warmup, runId: `${plan.runId}-warmup` });
    const before = settledMemory();
    const peaks = samplePeaks();
    const cpu = process.cpuUsage();
    const load = await runLoad(plan);
    const cpuMs = cpuMsSince(cpu);
    const peak = peaks.stop();

    const orders = new Set(load.orderIds);
    const approvals = (await new SandboxInspector(service.config.paystory.baseUrl ?? '').approvals()).filter((a) =>
      orders.has(a.ordNo),
    );
    const { p50, p95, p99, max } = load.latencyMs;
    console.log(`charges · ${store} · ${count} charges at concurrency ${concurrency} (after ${warmup} warm-up)`);
    console.log(
      `  throughput  ${(count / (load.elapsedMs / 1000)).toFixed(0)} charges/s (${(load.elapsedMs / 1000).toFixed(2)} s)`,
    );
    console.log(
      `  latency     p50 ${p50.toFixed(1)} ms · p95 ${p95.toFixed(1)} ms · p99 ${p99.toFixed(1)} ms · max ${max.toFixed(1)} ms`,
    );
    console.log(
      `  CPU         ${(cpuMs / count).toFixed(1)} ms per charge in the service's process (service and sandbox gateway)`,
    );
    console.log(
      `  memory      heap ${mb(before.heapUsedMb)} settled → ${mb(peak.heapUsedMb)} peak · RSS ${mb(before.rssMb)} → ${mb(peak.rssMb)} peak`,
    );
    console.log(
      `  answers     ${JSON.stringify(load.statuses)} · ${approvals.length} approvals at the sandbox for ${orders.size} orders`,
    );
    if (load.statuses['201'] !== count || orders.size !== count || approvals.length !== count)
      throw new Error(`expected ${count} answers 201 and ${count} approvals, one per order`);
  } finally {
    await service.close();
    await database.drop();
  }
}

async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = spawnTs(
    join(__dirname, 'support/load-generator.ts'),
    [JSON.stringify(plan)],
    ['ignore', 'pipe', 'inherit'],
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await exited(child);
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  return JSON.parse(output) as LoadResult;
}

main().catch((error: Error) => {
  console.error(`charges benchmark failed: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
