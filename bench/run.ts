import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { exited, spawnTs } from './support/processes';

/**
 * Runs every benchmark, each in a fresh process so that no run inherits another's heap or RSS: on
 * SQLite, and on PostgreSQL too when BENCH_DATABASE_URL names a server. The scheduler runs at two
 * sizes, to show its memory does not grow with the number of due subscriptions.
 */
const stores = process.env.BENCH_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
const runs = stores.flatMap((store) => [
  ['charges.bench.ts', `--store=${store}`, '--charges=2000', '--concurrency=16'],
  ['scheduler.bench.ts', `--store=${store}`, '--subscriptions=5000', '--concurrency=16'],
  ['scheduler.bench.ts', `--store=${store}`, '--subscriptions=20000', '--concurrency=16'],
]);

async function main(): Promise<void> {
  if (!process.env.BENCH_DATABASE_URL)
    console.log('(PostgreSQL skipped: set BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres)\n');
  console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}\n`);
  let failed = 0;
  for (const [file, ...args] of runs) {
    // Other work on the machine skews every number: say how busy it was.
    console.log(`$ ${file} ${args.join(' ')}   (load average ${loadavg()[0].toFixed(2)})`);
    if ((await exited(spawnTs(join(__dirname, file), args, 'inherit'))) !== 0) failed++;
    console.log();
  }
  if (failed > 0) {
    console.error(`${failed} of ${runs.length} benchmarks failed`);
    process.exitCode = 1;
  }
}

void main();
