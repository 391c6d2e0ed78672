import { loadavg } from 'node:os';
import { option } from '../support/processes';
import { addedLatency } from './benchmarks/latency';
import { cpuPerCharge } from './benchmarks/cpu';
import { memory } from './benchmarks/memory';
import { notificationIngest } from './benchmarks/ingest';
import { sharedRate } from './benchmarks/rate';
import { scheduler } from './benchmarks/scheduler';
import { buildForBenchmarks } from './support/build';
import { describe, describeMachine } from './support/machine';
import { runningChildren } from './support/node-process';
import type { BenchmarkContext, BenchmarkResult } from './support/ratio';
import { printResult, resultsStem, writeResults } from './support/report';

const BENCHMARKS = {
  cpu: cpuPerCharge,
  latency: addedLatency,
  scheduler,
  rate: sharedRate,
  ingest: notificationIngest,
  memory,
} as const;
type Name = keyof typeof BENCHMARKS;

/**
 * `npm run bench:ratios`: the six ratio targets of issue 17, each measured against a baseline of
 * the same run, on the built service (docs/benchmarks.md, "Ratio targets"). Options:
 * `--only=cpu|latency|scheduler|rate|ingest|memory` (comma-separated), `--quick` (smaller sizes).
 * PostgreSQL: BENCH_DATABASE_URL (default the local server); each benchmark gets a throwaway database.
 * Exits non-zero when a target is missed or a correctness check fails.
 */
async function main(): Promise<void> {
  process.env.BENCH_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  const only = option('only', Object.keys(BENCHMARKS).join(',')).split(',') as Name[];
  const unknown = only.filter((n) => !(n in BENCHMARKS));
  if (unknown.length > 0)
    throw new Error(`--only: unknown ${unknown.join(', ')} (${Object.keys(BENCHMARKS).join('|')})`);
  const quick = process.argv.includes('--quick');
  const machine = await describeMachine(process.env.BENCH_DATABASE_URL);
  console.log(`${describe(machine)}${quick ? ' (--quick sizes)' : ''}\n`);

  console.log('Building apps/payments, the bare, floor and minimal apps into a temp dir…');
  const context: BenchmarkContext = { build: buildForBenchmarks(), quick };
  // Interrupted: no finally runs, so the services, gateways and the build are cleaned up here (throwaway databases stay).
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      for (const child of runningChildren) child.kill('SIGKILL');
      context.build.remove();
      process.exit(130);
    });
  const results: BenchmarkResult[] = [];
  const stem = resultsStem();
  try {
    for (const name of only) {
      const loadAverageBefore = loadavg()[0];
      console.log(`\n${name}   (load average ${loadAverageBefore.toFixed(2)})`);
      const started = Date.now();
      let result: BenchmarkResult;
      try {
        result = { ...(await BENCHMARKS[name](context)), loadAverageBefore };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result = { name, ratios: [], figures: {}, checked: '', error: message, loadAverageBefore };
      }
      results.push(result);
      printResult(result);
      // After each benchmark, so that an interrupted run keeps what it measured.
      writeResults(stem, machine, results, quick);
      console.log(`         (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    context.build.remove();
  }
  console.log(`\nWritten: ${writeResults(stem, machine, results, quick).join(', ')}`);
  const missed = results.flatMap((r) => r.ratios).filter((r) => !r.met).length;
  const failed = results.filter((r) => r.error).length;
  if (missed + failed > 0) {
    console.error(`${missed} target(s) missed, ${failed} benchmark(s) failed`);
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  console.error(`bench:ratios failed: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
