import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '../../../apps/payments/src/config/app-config';
import { dataSourceOptions } from '../../../apps/payments/src/database/data-source-options';
import { TEST_API_KEY } from '../../../test/support/api-client';
import { SandboxInspector } from '../../../test/support/sandbox-inspector';
import { runLoad } from '../support/load';
import { ratio, round, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';
import { CONCURRENCY, cpuPerRequest, withServiceAndBare } from '../support/sqlite-against-bare';
import { expectOneApprovalPerOrder } from '../support/subscriptions';

/** How long the background apply may lag behind the last acknowledgement. */
const APPLY_WAIT_MS = 30_000;

/**
 * 5. Notification ingest: `POST /v1/notifications/paystory` with correctly signed approval
 * notifications (verify, store, acknowledge), one for each of as many charges made beforehand, on
 * SQLite, closed loop at concurrency 16; against the bare app's `POST /bare`, same count and concurrency.
 */
export function notificationIngest(context: BenchmarkContext): Promise<Omit<BenchmarkResult, 'loadAverageBefore'>> {
  return withServiceAndBare(
    context,
    'ingest',
    async ({ service, bare, gateway, database, billingKeyId, count, warmup, runId }) => {
      const charged = await runLoad({
        url: service.url,
        kind: 'charge',
        count: warmup + count,
        concurrency: CONCURRENCY,
        apiKey: TEST_API_KEY,
        billingKeyId,
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
      // The background apply is part of the cost: the CPU is read once every notification is applied.
      const stored = await untilApplied(database.url, warmup + count);
      const ingestCpuMs = (service.cpuMs() - before) / count;
      if (ingest.statuses['200'] !== count) throw new Error(`answers: ${JSON.stringify(ingest.statuses)}`);
      if (stored.accepted !== warmup + count)
        throw new Error(`${stored.accepted} notifications stored for ${warmup + count} sent`);
      if (stored.applied !== warmup + count)
        throw new Error(`${stored.applied} of ${warmup + count} notifications applied within ${APPLY_WAIT_MS} ms`);
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
        checked: `every notification answered 200, stored once (not rejected) and applied; the ${warmup + count} charges behind them one approval per order`,
      };
    },
  );
}

/**
 * Notifications stored as accepted (not REJECTED) and those of them APPLIED, read with a connection
 * of the benchmark's own, once `expected` are applied or {@link APPLY_WAIT_MS} has passed.
 */
async function untilApplied(url: string, expected: number): Promise<{ accepted: number; applied: number }> {
  const data = await new DataSource(dataSourceOptions(parseDatabaseUrl(url))).initialize();
  try {
    const deadline = Date.now() + APPLY_WAIT_MS;
    for (;;) {
      const [row] = await data.query<{ accepted: string | number; applied: string | number }[]>(
        "SELECT COUNT(*) AS accepted, COUNT(CASE WHEN status = 'APPLIED' THEN 1 END) AS applied FROM gateway_notifications WHERE status <> 'REJECTED'",
      );
      const counts = { accepted: Number(row.accepted), applied: Number(row.applied) };
      if (counts.applied >= expected || Date.now() > deadline) return counts;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await data.destroy();
  }
}
