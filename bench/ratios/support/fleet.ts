import type { DataSource } from 'typeorm';
import { createBenchDatabase, type Store } from '../../support/bench-database';
import type { Build } from './build';
import { startGateway, type ChargeTimes } from './gateway';
import type { NodeProcess } from './node-process';
import { startService } from './service';
import { expectChargedOnce, openDatabase, seedDueSubscriptions } from './subscriptions';

const POLL_MS = 250;

export interface FleetPlan {
  build: Build;
  store: Store;
  /** Due subscriptions seeded. */
  count: number;
  instances: number;
  /** The gateway stand-in's latency per call. */
  latencyMs: number;
  /** Scheduler settings of every instance (SUBSCRIPTION_*, PAYSTORY_RATE_LIMIT). */
  env: Record<string, string>;
  /** SIGKILL the first instance once half the subscriptions are charged, and start it again at once. */
  killAtHalf?: boolean;
  /** Give up after this long. */
  timeoutMs: number;
}

export interface FleetRun {
  /** From the first charge reaching the gateway stand-in to every subscription charged in the database. */
  wallMs: number;
  times: ChargeTimes;
  /** CPU of every service process of the run, killed ones included, in ms. */
  cpuMs: number;
  /** The highest RSS any service process had, in MB. */
  peakRssMb: number;
}

/**
 * Due subscriptions charged by `instances` copies of the built service, each running its own
 * interval scheduler, as a deployment would. A first instance with the scheduler off migrates the
 * database and issues the billing key, the subscriptions are seeded, it stops; then the fleet
 * starts. Checks that each subscription was charged exactly once, at the gateway stand-in too.
 */
export async function runFleet(plan: FleetPlan): Promise<FleetRun> {
  const database = await createBenchDatabase(plan.store);
  const gateway = await startGateway(plan.latencyMs);
  const fleet: NodeProcess[] = [];
  let cpuMs = 0;
  let peakRssMb = 0;
  const retire = (instance: NodeProcess) => {
    cpuMs += instance.cpuMs();
    peakRssMb = Math.max(peakRssMb, instance.peakRssMb());
  };
  let data: DataSource | undefined;
  try {
    const setup = await startService(plan.build, database.url, gateway.url);
    data = await openDatabase(database.url);
    const ids = await seedDueSubscriptions(data, setup.url, plan.count);
    await setup.stop();
    await gateway.reset();

    const env = { SUBSCRIPTION_SCHEDULER_ENABLED: 'true', SUBSCRIPTION_INTERVAL_MS: '500', ...plan.env };
    const start = () => startService(plan.build, database.url, gateway.url, env);
    fleet.push(...(await Promise.all(Array.from({ length: plan.instances }, start))));
    const deadline = Date.now() + plan.timeoutMs;
    let killed = !plan.killAtHalf;
    for (;;) {
      const charged = await approvedCharges(data);
      if (charged >= plan.count) break;
      if (Date.now() > deadline)
        throw new Error(
          `${plan.killAtHalf ? 'with an instance killed at half way: ' : ''}only ${charged} of ${plan.count} charged after ${Math.round(plan.timeoutMs / 1000)} s`,
        );
      if (!killed && charged >= plan.count / 2) {
        retire(fleet[0]);
        await fleet[0].kill();
        killed = true;
        fleet[0] = await start();
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const done = Date.now();
    const times = await gateway.chargeTimes();
    for (const instance of fleet) retire(instance);
    await Promise.all(fleet.splice(0).map((i) => i.stop()));
    await expectChargedOnce(data, gateway.url, ids);
    const firstArrival = times.arrivals.reduce((a, b) => Math.min(a, b), done);
    return { wallMs: done - firstArrival, times, cpuMs, peakRssMb };
  } finally {
    await Promise.all(fleet.map((i) => i.stop()));
    await data?.destroy();
    await gateway.stop();
    await database.drop();
  }
}

async function approvedCharges(data: DataSource): Promise<number> {
  const [row] = await data.query<{ n: string | number }[]>(
    "SELECT COUNT(*) AS n FROM subscription_charges WHERE status = 'APPROVED'",
  );
  return Number(row.n);
}
