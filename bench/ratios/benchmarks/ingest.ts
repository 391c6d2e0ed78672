import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../../apps/payments/src/config/app-config';
import { dataSourceOptions } from '../../../apps/payments/src/database/data-source-options';
import { apiCaller, TEST_API_KEY } from '../../../test/support/api-client';
import { givenActiveBillingKey } from '../../../test/support/billing-fixtures';
import { SandboxInspector } from '../../../test/support/sandbox-inspector';
import { createBenchDatabase } from '../../support/bench-database';
import { startGateway } from '../support/gateway';
import { runLoad } from '../support/load';
import type { NodeProcess } from '../support/node-process';
import { ratio, round, size, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';
import { startBare, startService } from '../support/service';
import { expectOneApprovalPerOrder } from '../support/subscriptions';
import { cpuPerRequest } from './cpu';

const CONCURRENCY = 16;

/**
 * 5. Notification ingest: `POST /v1/notifications/paystory` with correctly signed approval
 * notifications (verify, store, acknowledge), one for each of as many charges made beforehand, on
 * SQLite, closed loop at concurrency 16; against the bare app's `POST /bare`, same count and concurrency.
 */
export async function notificationIngest(
  context: BenchmarkContext,
): Promise<Omit<BenchmarkResult, 'loadAverageBefore'>> {
  const count = size(context, 2_000, 300);
  const warmup = size(context, 200, 50);
  const database = await createBenchDatabase('sqlite');
  const gateway = await startGateway(0);
  const bare = await startBare(context.build);
  let service: NodeProcess | undefined;
  try {
    service = await startService(context.build, database.url, gateway.url, { PAYSTORY_RATE_LIMIT: '10000' });
    const key = await givenActiveBillingKey(apiCaller(service.url));
    const runId = `ingest-${Date.now()}`;
    const charged = await runLoad({
      url: service.url,
      kind: 'charge',
      count: warmup + count,
      concurrency: CONCURRENCY,
      apiKey: TEST_API_KEY,
      billingKeyId: key.id,
      runId,
    });
    await expectOneApprovalPerOrder(gateway.url, charged.orderIds);
    const orders = new Set(charged.orderIds);
    const approvals = (await new SandboxInspector(gateway.url).approvals())
      .filter((a) => orders.has(a.ordNo))
      .map(({ tid, ordNo, amount }) => ({ tid, ordNo, amount }));
    const common = { count, concurrency: CONCURRENCY, runId };
    const baseline = await cpuPerRequest(bare, { ...common, url: bare.url, kind: 'bare' }, warmup);
    // The warm-up notifies the last `warmup` approvals; the measured run the first `count`.
    const notify = { ...common, url: service.url, kind: 'notification' as const, approvals };
    await runLoad({ ...notify, count: warmup, approvals: approvals.slice(count) });
    const before = service.cpuMs();
    const ingest = await runLoad(notify);
    const ingestCpuMs = (service.cpuMs() - before) / count;
    if (ingest.statuses['200'] !== count) throw new Error(`answers: ${JSON.stringify(ingest.statuses)}`);
    const stored = await storedNotifications(database.url);
    if (stored !== warmup + count) throw new Error(`${stored} notifications stored for ${warmup + count} sent`);
    return {
      name: 'ingest',
      ratios: [ratio('bare POST CPU / notification ingest CPU (SQLite)', round(baseline.cpuMs / ingestCpuMs), 0.5)],
      figures: {
        notifications: count,
        concurrency: CONCURRENCY,
        'ingest CPU (ms)': round(ingestCpuMs),
        'bare POST CPU (ms)': round(baseline.cpuMs),
        'notifications/s': round(count / (ingest.elapsedMs / 1000), 0),
      },
      checked: `every notification answered 200 and stored once (not rejected); the ${warmup + count} charges behind them one approval per order`,
    };
  } finally {
    await service?.stop();
    await bare.stop();
    await gateway.stop();
    await database.drop();
  }
}

/** Notifications stored as accepted (not REJECTED), read with a connection of the benchmark's own. */
async function storedNotifications(url: string): Promise<number> {
  const data = await new DataSource(dataSourceOptions(parseDatabaseUrl(url))).initialize();
  try {
    const [row] = await data.query<{ n: string | number }[]>(
      "SELECT COUNT(*) AS n FROM gateway_notifications WHERE status <> 'REJECTED'",
    );
    return Number(row.n);
  } finally {
    await data.destroy();
  }
}
