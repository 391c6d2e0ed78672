import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SANDBOX_MERCHANTS } from '@app/sandbox';
import { DataSource } from 'typeorm';
import { startService, type RunningService } from '../apps/payments/src/bootstrap';
import { SubscriptionChargeEntity } from '../apps/payments/src/subscription/entities/subscription-charge.entity';
import { SubscriptionBillingService } from '../apps/payments/src/subscription/subscription-billing.service';
import { TEST_API_KEY } from '../test/support/api-client';
import { SandboxInspector } from '../test/support/sandbox-inspector';
import { UNREACHABLE_URL } from '../test/support/unreachable-url';
import { createBenchDatabase, type BenchDatabase, type Store } from './support/bench-database';
import { cpuMsSince, mb, sampleLiveHeap, samplePeaks, settledMemory } from './support/resources';
import { exited, option, spawnTs } from './support/processes';
import { seedDueSubscriptions } from './ratios/support/subscriptions';
import { getDataSourceToken } from '@nestjs/typeorm';
import { PAYMENTS_DATA_SOURCE } from '../apps/payments/src/database/database.constants';

/** How often the run's live heap is measured (a forced collection, tens of ms each). */
const LIVE_HEAP_EVERY_MS = 5_000;

/**
 * One `SubscriptionBillingService.runDue(now)` over many due subscriptions, timed, with this
 * process's heap and RSS sampled during the run. The sandbox gateway runs in a child process: it
 * keeps every request and approval in memory, which is not the service's. Options:
 * --store=sqlite|postgres, --subscriptions=20000, --concurrency=16.
 */
async function main(): Promise<void> {
  const store = option('store', 'sqlite') as Store;
  const count = Number(option('subscriptions', '20000'));
  const concurrency = option('concurrency', '16');

  const gateway = await startSandboxProcess();
  let database: BenchDatabase | undefined;
  let service: RunningService | undefined;
  try {
    database = await createBenchDatabase(store);
    service = await startService({
      env: {
        PORT: '0',
        DATABASE_URL: database.url,
        API_KEYS: TEST_API_KEY,
        PAYSTORY_BASE_URL: gateway.url,
        PAYSTORY_MID: SANDBOX_MERCHANTS.card.mid,
        PAYSTORY_MERCHANT_KEY: SANDBOX_MERCHANTS.card.merchantKey,
        JANITOR_ENABLED: 'false',
        // The benchmark drives the scheduler; the rate limit is set out of the way to measure the service, not the limiter.
        SUBSCRIPTION_SCHEDULER_ENABLED: 'false',
        SUBSCRIPTION_RATE_LIMIT: '10000',
        PAYSTORY_RATE_LIMIT: '10000',
        SUBSCRIPTION_CONCURRENCY: concurrency,
        PUBLIC_BASE_URL: UNREACHABLE_URL,
      },
      logger: false,
    });
    // Seeded due a minute before they are seeded, then run as of after the seeding: all of them due.
    const ids = await seedDueSubscriptions(
      service.app.get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE)),
      service.url,
      count,
    );
    const now = new Date();

    const before = settledMemory();
    const peaks = samplePeaks();
    const live = sampleLiveHeap(LIVE_HEAP_EVERY_MS);
    const cpu = process.cpuUsage();
    const gatewayCpu = await gateway.cpuMs();
    const started = performance.now();
    const driven = await service.app.get(SubscriptionBillingService).runDue(now);
    const ms = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    const gatewayCpuMs = (await gateway.cpuMs()) - gatewayCpu;
    const peak = peaks.stop();
    const livePeak = live.stop();

    const { charges, approvals } = await chargedOnce(service, gateway.url, ids);
    const share = (used: number) => `${((used / ms) * 100).toFixed(0)}%`;
    console.log(
      `scheduler · ${store} · ${count} due subscriptions, concurrency ${concurrency}, batches of ${service.config.subscriptions.batchSize}`,
    );
    console.log(
      `  throughput  ${(count / (ms / 1000)).toFixed(0)} subscriptions charged/s (${(ms / 1000).toFixed(2)} s)`,
    );
    console.log(
      `  CPU         service ${share(cpuMs)} of one core (${(cpuMs / count).toFixed(1)} ms per subscription) · sandbox gateway ${share(gatewayCpuMs)}`,
    );
    console.log(
      `  memory      heap ${mb(before.heapUsedMb)} settled → ${mb(livePeak)} live peak (after GC, every ${LIVE_HEAP_EVERY_MS / 1000} s), ${mb(peak.heapUsedMb)} used peak · RSS ${mb(before.rssMb)} → ${mb(peak.rssMb)} peak`,
    );
    console.log(
      `  charged     ${driven} driven · ${charges} approved attempts, one per subscription · ${approvals} approvals at the sandbox`,
    );
    if (driven !== count || charges !== count || approvals !== count)
      throw new Error(`expected each of the ${count} subscriptions charged exactly once`);
  } finally {
    await service?.close();
    await database?.drop();
    await gateway.stop();
  }
}

/** Approved first-period attempts of the seeded subscriptions in the database, one each, and how many of their orders the gateway approved. */
async function chargedOnce(
  service: RunningService,
  gatewayUrl: string,
  ids: Set<string>,
): Promise<{ charges: number; approvals: number }> {
  const charges = (
    await service.app
      .get<DataSource>(getDataSourceToken(PAYMENTS_DATA_SOURCE))
      .getRepository(SubscriptionChargeEntity)
      .findBy({ status: 'APPROVED' })
  ).filter((c) => ids.has(c.subscriptionId));
  if (new Set(charges.map((c) => c.subscriptionId)).size !== charges.length)
    throw new Error('a subscription has more than one approved attempt');
  const orders = new Set(charges.map((c) => c.orderId));
  const approvals = (await new SandboxInspector(gatewayUrl).approvals()).filter((a) => orders.has(a.ordNo));
  return { charges: charges.length, approvals: approvals.length };
}

/** Starts `support/sandbox-process.ts` and resolves once it listens. */
async function startSandboxProcess(): Promise<{ url: string; cpuMs(): Promise<number>; stop(): Promise<void> }> {
  const child = spawnTs(join(__dirname, 'support/sandbox-process.ts'), [], ['pipe', 'pipe', 'inherit']);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the sandbox process exited');
    return value;
  };
  const url = /^ready (\S+)$/.exec(await nextLine())?.[1];
  if (!url) throw new Error('the sandbox process did not say where it listens');
  return {
    url,
    cpuMs: async () => {
      child.stdin!.write('cpu\n');
      return Number((await nextLine()).replace('cpu ', ''));
    },
    stop: async () => {
      child.stdin!.end();
      await exited(child);
    },
  };
}

main().catch((error: Error) => {
  console.error(`scheduler benchmark failed: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
