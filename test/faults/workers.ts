import { fork } from 'node:child_process';
import { mergeFigures, runMany, type RunFigures, type RunOptions } from './runner';

const FIGURES_LINE = '@@figures ';

/**
 * Spreads the in-process schedules over `workers` processes (one service each: a service in one
 * process uses one core), while this process runs the kill schedules; merges their figures.
 */
export async function runInWorkers(options: RunOptions, workers: number, script: string): Promise<RunFigures> {
  const started = Date.now();
  const log = options.onProgress ?? (() => undefined);
  const shards = Array.from({ length: workers }, (_, index) =>
    runWorker(script, options, { index, count: workers }, (line) => log(`[worker ${index + 1}] ${line}`)),
  );
  const kills =
    options.kills > 0 ? runMany({ ...options, schedules: 0, onProgress: (line) => log(`[kills] ${line}`) }) : undefined;
  const parts = await Promise.all([...shards, ...(kills ? [kills] : [])]);
  return mergeFigures(parts, Date.now() - started);
}

function runWorker(
  script: string,
  options: RunOptions,
  shard: { index: number; count: number },
  log: (line: string) => void,
): Promise<RunFigures> {
  const args = [
    '--schedules',
    String(options.schedules),
    '--seed',
    String(options.firstSeed),
    '--kills',
    '0',
    '--concurrency',
    String(options.concurrency),
    '--shrink',
    String(options.shrinkLimit ?? 3),
    '--shard',
    `${shard.index}/${shard.count}`,
  ];
  const child = fork(script, args, { execArgv: process.execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let figures: RunFigures | undefined;
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(FIGURES_LINE)) figures = JSON.parse(line.slice(FIGURES_LINE.length)) as RunFigures;
      else if (line.trim()) log(line);
    }
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      figures ? resolve(figures) : reject(new Error(`Worker ${shard.index + 1} ended (${code}) without figures`)),
    );
  });
}

/** What a worker prints last: its figures, for the parent to merge. */
export function figuresLine(figures: RunFigures): string {
  return `${FIGURES_LINE}${JSON.stringify(figures)}`;
}
