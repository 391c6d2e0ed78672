import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '../../../apps/payments/src/config/app-config';
import { dataSourceOptions } from '../../../apps/payments/src/database/data-source-options';
import { TEST_API_KEY } from '../../../test/support/api-client';
import { SandboxInspector } from '../../../test/support/sandbox-inspector';
import { runLoad } from '../support/load';
import { ratio, round, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';
import { CONCURRENCY, withServiceAndBare } from '../support/sqlite-against-bare';
import { expectOneApprovalPerOrder } from '../support/subscriptions';

/** How long the background apply may lag behind the last acknowledgement. */
const APPLY_WAIT_MS = 30_000;
/** The measured requests of each side go in this many chunks, alternating with the other side's. */
const CHUNKS = 4;

/**
 * 5. Notification ingest: `POST /v1/notifications/paystory` with correctly signed approval
 * notifications (verify, store, acknowledge), one for each of as many charges made beforehand, on
 * SQLite, closed loop at concurrency 16; against the bare app's `POST /bare`, same count and
 * concurrency. The two sides take turns in chunks (bare, ingest, ingest, bare, …), so that the
 * machine's speed, which drifts on a shared machine, weighs on both alike.
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
      const common = { concurrency: CONCURRENCY, runId };
      const bareLoad = { ...common, url: bare.url, kind: 'bare' as const };
      const notify = { ...common, url: service.url, kind: 'notification' as const };
      // The warm-ups: the bare app's, and the service's with the last `warmup` approvals.
      await runLoad({ ...bareLoad, count: warmup, runId: `${runId}-warmup` });
      await runLoad({ ...notify, count: warmup, approvals: approvals.slice(count) });
      const chunk = Math.floor(count / CHUNKS);
      const totals = { bareCpuMs: 0, ingestCpuMs: 0, ingestElapsedMs: 0, answered: 0 };
      const measureBare = async () => {
        const before = bare.cpuMs();
        await runLoad({ ...bareLoad, count: chunk });
        totals.bareCpuMs += bare.cpuMs() - before;
      };
      let notified = 0;
      const measureIngest = async () => {
        const before = service.cpuMs();
        const outcome = await runLoad({
          ...notify,
          count: chunk,
          approvals: approvals.slice(notified, notified + chunk),
        });
        notified += chunk;
        // The background apply is part of the cost: the CPU is read once every notification is applied.
        await untilApplied(database.url, warmup + notified);
        totals.ingestCpuMs += service.cpuMs() - before;
        totals.ingestElapsedMs += outcome.elapsedMs;
        totals.answered += outcome.statuses['200'] ?? 0;
      };
      for (let i = 0; i < CHUNKS; i++)
        for (const measure of i % 2 === 0 ? [measureBare, measureIngest] : [measureIngest, measureBare])
          await measure();
      const measured = chunk * CHUNKS;
      const stored = await untilApplied(database.url, warmup + measured);
      if (totals.answered !== measured) throw new Error(`${totals.answered} of ${measured} notifications answered 200`);
      if (stored.accepted !== warmup + measured)
        throw new Error(`${stored.accepted} notifications stored for ${warmup + measured} sent`);
      if (stored.applied !== warmup + measured)
        throw new Error(`${stored.applied} of ${warmup + measured} notifications applied within ${APPLY_WAIT_MS} ms`);
      const [bareCpuMs, ingestCpuMs] = [totals.bareCpuMs / measured, totals.ingestCpuMs / measured];
      return {
        name: 'ingest',
        ratios: [ratio('bare POST CPU / notification ingest CPU (SQLite)', round(bareCpuMs / ingestCpuMs), 0.5)],
        figures: {
          notifications: measured,
          concurrency: CONCURRENCY,
          'chunks a side, alternating': CHUNKS,
          'ingest CPU (ms)': round(ingestCpuMs),
          'bare POST CPU (ms)': round(bareCpuMs),
          'notifications/s': round(measured / (totals.ingestElapsedMs / 1000), 0),
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
  const data = await new DataSource(dataSourceOptions(loadDatabaseConfig({ DATABASE_URL: url }))).initialize();
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
