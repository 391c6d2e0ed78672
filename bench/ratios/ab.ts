import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiCaller, TEST_API_KEY } from '../../test/support/api-client';
import { givenActiveBillingKey } from '../../test/support/billing-fixtures';
import { createBenchDatabase, type Store } from '../support/bench-database';
import { option } from '../support/processes';
import { buildForBenchmarks, type Build } from './support/build';
import { startGateway } from './support/gateway';
import { runLoad } from './support/load';
import { startService } from './support/service';
import { expectOneApprovalPerOrder } from './support/subscriptions';

const ROOT = resolve(__dirname, '../..');
const CHUNK = 500;
const CONCURRENCY = 8;

/**
 * `npm run bench:ab -- <commit> [--store=postgres|sqlite] [--rounds=8]`: the service CPU per
 * charge of this tree against another commit's, each built and started as the ratio benchmarks
 * start them, on its own database and gateway stand-in (no latency). Chunks of 500 charges go to
 * each in turn (ABBA order) in one run, so that a machine that speeds up or slows down while it
 * runs weighs on both alike: a difference of a few percent shows, where separate runs on a shared
 * machine differ by ±15 % (docs/benchmarks.md). The other commit is checked out in a temporary
 * worktree and runs on this tree's node_modules.
 */
async function main(): Promise<void> {
  const commit = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!commit) throw new Error('usage: npm run bench:ab -- <commit> [--store=postgres|sqlite] [--rounds=8]');
  const store = option('store', 'postgres') as Store;
  const rounds = Number(option('rounds', '8'));
  process.env.BENCH_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const tree = mkdtempSync(join(tmpdir(), 'payments-ab-'));
  execFileSync('git', ['worktree', 'add', '--detach', tree, commit], { cwd: ROOT, stdio: 'ignore' });
  const builds: Build[] = [];
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
    console.log(`Building this tree and ${commit}…`);
    builds.push(buildForBenchmarks(), buildForBenchmarks(tree));
    const [current, other] = [await started(builds[0], store), await started(builds[1], store)];
    try {
      for (let round = 0; round < rounds; round++)
        for (const side of round % 2 === 0 ? [current, other] : [other, current]) await side.measureChunk(round);
      for (const side of [current, other]) await side.check();
      const label = (name: string, cpuMs: number) => `${name.padEnd(12)} ${cpuMs.toFixed(3)} ms CPU per charge`;
      console.log(`${store}, ${rounds * CHUNK} charges each, concurrency ${CONCURRENCY}:`);
      console.log(label('this tree', current.cpuPerCharge()));
      console.log(label(commit, other.cpuPerCharge()));
      console.log(`this tree / ${commit}: ${(current.cpuPerCharge() / other.cpuPerCharge()).toFixed(3)}`);
    } finally {
      await Promise.all([current.stop(), other.stop()]);
    }
  } finally {
    for (const build of builds) build.remove();
    execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: ROOT, stdio: 'ignore' });
    rmSync(tree, { recursive: true, force: true });
  }
}

/** One side: a built service on its own database and stand-in, warmed up, counting its CPU over the chunks. */
async function started(build: Build, store: Store) {
  const database = await createBenchDatabase(store);
  const gateway = await startGateway(0);
  const service = await startService(build, database.url, gateway.url, { PAYSTORY_RATE_LIMIT: '10000' });
  const key = await givenActiveBillingKey(apiCaller(service.url));
  const load = { url: service.url, kind: 'charge' as const, apiKey: TEST_API_KEY, billingKeyId: key.id };
  const runId = `ab-${service.pid}`;
  await runLoad({ ...load, count: CHUNK, concurrency: CONCURRENCY, runId: `${runId}-warmup` });
  let cpuMs = 0;
  const orderIds: string[] = [];
  return {
    async measureChunk(round: number) {
      const before = service.cpuMs();
      const outcome = await runLoad({ ...load, count: CHUNK, concurrency: CONCURRENCY, runId: `${runId}-${round}` });
      cpuMs += service.cpuMs() - before;
      if (outcome.statuses['201'] !== CHUNK) throw new Error(`answers: ${JSON.stringify(outcome.statuses)}`);
      orderIds.push(...outcome.orderIds);
    },
    check: () => expectOneApprovalPerOrder(gateway.url, orderIds),
    cpuPerCharge: () => cpuMs / orderIds.length,
    async stop() {
      await service.stop();
      await gateway.stop();
      await database.drop();
    },
  };
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
