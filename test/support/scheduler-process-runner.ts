import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { tsNodeArgs } from './ts-node-args';

/** What one scheduler run in the other process answered. */
export type ProcessRunResult = { driven: number } | { error: string };

/** A service instance running in a child process (`scheduler-process.ts`), driven line by line. */
export interface SchedulerProcess {
  /** Runs the subscription scheduler once in that process at the fake time `now`. */
  runDue(now: Date): Promise<ProcessRunResult>;
  /** What the process wrote to stderr so far (its crash, if any). */
  stderr(): string;
  /** Closes its stdin: the service shuts down cleanly. */
  stop(): Promise<void>;
  /** SIGKILL, as an instance that dies mid-run: nothing of it gets to clean up. */
  kill(): Promise<void>;
}

/**
 * Starts `scheduler-process.ts` under ts-node (transpile only) with `env` and resolves once the
 * service in it listens. Its own process means its own SQLite connection and its own event loop,
 * as a second instance in production has.
 */
export async function startSchedulerProcess(env: Record<string, string>): Promise<SchedulerProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    tsNodeArgs(join(process.cwd(), 'test/support/scheduler-process.ts')),
    {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', TS_NODE_PROJECT: 'tsconfig.json', ...env },
      stdio: 'pipe',
    },
  );
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines: Interface = createInterface({ input: child.stdout });
  const pending: ((line: string) => void)[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      pending.push(resolve);
      void exited.then(() => reject(new Error(`scheduler process exited: ${errors}`)));
    });
  // Only the protocol's lines: anything else a library prints is not an answer.
  lines.on('line', (line) => {
    if (line === 'ready' || line.startsWith('{"')) pending.shift()?.(line);
  });

  const ready = await nextLine();
  if (ready !== 'ready') throw new Error(`scheduler process said ${ready}: ${errors}`);
  return {
    runDue: async (now) => {
      const answer = nextLine();
      child.stdin.write(`run ${now.toISOString()}\n`);
      return JSON.parse(await answer) as ProcessRunResult;
    },
    stderr: () => errors,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
