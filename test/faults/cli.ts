import { formatFailure, formatFigures } from './report';
import { runMany, type RunFigures, type RunOptions } from './runner';
import type { Schedule } from './schedule';
import { figuresLine, runInWorkers } from './workers';

const USAGE = `npm run faults -- --schedules N [--seed S] [--kills K] [--concurrency C] [--workers W] [--kill-concurrency C] [--shrink M] [--replay JSON]
  --schedules N         in-process schedules, seeds S, S+1, … (default 100)
  --seed S              the first seed (default 1)
  --kills K             schedules with real process kills, seeds S, S+1, … (default 0)
  --concurrency C       in-process schedules at a time, per worker (default 8)
  --workers W           processes sharing the in-process schedules (default 1; 2 uses both cores here)
  --kill-concurrency C  kill schedules at a time (default 1)
  --shrink M            failing schedules to shrink to a minimal reproduction (default 3)
  --replay JSON         run this schedule (or a JSON array of them) as it is`;

/** Reads the command line; throws with the usage on anything it does not understand. */
export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    schedules: 100,
    kills: 0,
    firstSeed: 1,
    concurrency: 8,
    killConcurrency: 1,
    shrinkLimit: 3,
    workers: 1,
  };
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    explicit.add(flag);
    const count = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, got ${value}`);
      return n;
    };
    if (flag === '--schedules') options.schedules = count();
    else if (flag === '--seed') options.firstSeed = count();
    else if (flag === '--kills') options.kills = count();
    else if (flag === '--concurrency') options.concurrency = Math.max(1, count());
    else if (flag === '--kill-concurrency') options.killConcurrency = Math.max(1, count());
    else if (flag === '--shrink') options.shrinkLimit = count();
    else if (flag === '--workers') options.workers = Math.max(1, count());
    else if (flag === '--shard') {
      const [index, of] = value.split('/').map(Number);
      if (!(Number.isInteger(index) && Number.isInteger(of) && index >= 0 && index < of))
        throw new Error(`--shard must be i/n, got ${value}`);
      options.shard = { index, count: of };
    } else if (flag === '--replay') {
      const parsed = JSON.parse(value) as Schedule | Schedule[];
      options.replay = Array.isArray(parsed) ? parsed : [parsed];
    } else throw new Error(`Unknown option ${flag}\n${USAGE}`);
  }
  // `--seed S` alone replays that one seed.
  if (explicit.has('--seed') && !explicit.has('--schedules') && !explicit.has('--kills')) options.schedules = 1;
  return options;
}

export interface CliOptions extends RunOptions {
  workers: number;
}

/** `npm run faults`: runs the schedules, prints the figures and each failure; exit code 1 on any violation. */
export async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const onProgress = (line: string) => console.log(line);
  if (options.shard) {
    // A worker of a parent run: progress lines, then its figures for the parent.
    console.log(figuresLine(await runMany({ ...options, onProgress })));
    return 0;
  }
  const figures: RunFigures =
    options.workers > 1 && !options.replay
      ? await runInWorkers({ ...options, onProgress }, options.workers, process.argv[1])
      : await runMany({ ...options, onProgress });
  console.log(`\n${formatFigures(figures)}`);
  if (figures.failures.length === 0) {
    console.log('\nNo invariant violated.');
    return 0;
  }
  console.log(`\n${figures.failures.length} failing schedule(s):\n`);
  for (const failure of figures.failures) console.log(`${formatFailure(failure)}\n`);
  return 1;
}
