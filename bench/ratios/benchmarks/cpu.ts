import { dirname, join } from 'node:path';
import { TEST_API_KEY } from '../../../test/support/api-client';
import { ratio, round, type BenchmarkContext, type BenchmarkResult } from '../support/ratio';
import type { NodeProcess } from '../support/node-process';
import { startFloor, startMinimal } from '../support/service';
import { CONCURRENCY, cpuPerRequest, withServiceAndBare } from '../support/sqlite-against-bare';
import { expectOneApprovalPerOrder } from '../support/subscriptions';

/**
 * 1. CPU per charge: `POST /v1/payments` on SQLite, closed loop at concurrency 16, against the bare
 * app's `POST /bare` with the same body, count and concurrency, in the same run. Beside them the
 * floor app (bench/ratios/floor): the charge's database path and gateway call alone on the same
 * stack, reported as a figure: how close to the bare POST a charge could get on this stack; and the
 * minimal app (bench/ratios/minimal), the floor's work on `node:http` and better-sqlite3 alone: how
 * close any implementation on Node could get.
 */
export function cpuPerCharge(context: BenchmarkContext): Promise<Omit<BenchmarkResult, 'loadAverageBefore'>> {
  return withServiceAndBare(
    context,
    'cpu',
    async ({ service, bare, gateway, database, billingKeyId, count, warmup, runId }) => {
      const common = { count, concurrency: CONCURRENCY, runId };
      const baseline = await cpuPerRequest(bare, { ...common, url: bare.url, kind: 'bare' }, warmup);
      const besideService = (file: string) => join(dirname(database.url.replace(/^sqlite:/, '')), file);
      // Each baseline app on its own SQLite file beside the service's; the minimal app answers the floor's request.
      const baselineCpu = async (name: string, start: () => Promise<NodeProcess>) => {
        const app = await start();
        const measured = await cpuPerRequest(app, { ...common, url: app.url, kind: 'floor' }, warmup).finally(() =>
          app.stop(),
        );
        if (measured.outcome.statuses['201'] !== count)
          throw new Error(`${name} answers: ${JSON.stringify(measured.outcome.statuses)}`);
        return measured;
      };
      const floor = await baselineCpu('floor', () =>
        startFloor(context.build, besideService('floor.sqlite'), gateway.url),
      );
      const minimal = await baselineCpu('minimal', () =>
        startMinimal(context.build, besideService('minimal.sqlite'), gateway.url),
      );
      const charges = await cpuPerRequest(
        service,
        { ...common, url: service.url, kind: 'charge', apiKey: TEST_API_KEY, billingKeyId },
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
          'floor CPU (ms)': round(floor.cpuMs),
          'bare / floor: the best this stack allows (not a target)': round(baseline.cpuMs / floor.cpuMs),
          'charge / floor: the service over its stack (not a target)': round(charges.cpuMs / floor.cpuMs),
          'minimal CPU (ms)': round(minimal.cpuMs),
          'bare / minimal: the best Node allows without the framework (not a target)': round(
            baseline.cpuMs / minimal.cpuMs,
          ),
          'charges/s': round(count / (charges.outcome.elapsedMs / 1000), 0),
          'charge p50 (ms)': round(charges.outcome.latencyMs.p50, 1),
        },
        checked: `${count} charges answered 201, one approval per order at the gateway stand-in`,
      };
    },
  );
}
