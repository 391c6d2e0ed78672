import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { exited } from '../../support/processes';

/** Every child the benchmarks started and not yet reaped: killed if the runner is interrupted. */
export const runningChildren = new Set<ChildProcess>();

/** Registers `child` in {@link runningChildren} until it exits. */
export function track(child: ChildProcess): ChildProcess {
  runningChildren.add(child);
  child.once('exit', () => runningChildren.delete(child));
  return child;
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** A built Node app in a process of its own, read from outside: CPU and memory from /proc. */
export interface NodeProcess {
  pid: number;
  url: string;
  /** User + system CPU the process has used so far, in ms (10 ms resolution). */
  cpuMs(): number;
  /** The highest RSS the process has had (VmHWM), in MB. */
  peakRssMb(): number;
  /** SIGKILL, as a crash or an OOM killer would: no shutdown hooks run. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * The heap size docs/deployment.md tells a deployment to give Node ("Memory"): without it V8 sizes
 * the heap for this 24 GB machine and lets garbage pile up to several times the live set before a
 * full collection. Given to the service and to the bare baseline alike. BENCH_NODE_FLAGS replaces
 * it, to measure other settings (an empty string for V8's own sizing).
 */
const DEPLOYMENT_NODE_FLAGS = '--max-old-space-size=192';

function nodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? DEPLOYMENT_NODE_FLAGS).split(' ').filter(Boolean);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <flags> <entry>` on a free port with `env` (on top of this process's environment) and
 * resolves once `readyPath` answers. Its output goes to /dev/null: the service logs what a new
 * user's would (pino, info), and that writing is part of its cost.
 */
export async function startNodeProcess(
  entry: string,
  env: Record<string, string>,
  readyPath: string,
): Promise<NodeProcess> {
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [...nodeFlags(), entry], {
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const closed = exited(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${url}${readyPath}`, child, () => stderr);
  const pid = child.pid!;
  return {
    pid,
    url,
    cpuMs: () => cpuMsOf(pid),
    peakRssMb: () => peakRssMbOf(pid),
    kill: async () => {
      child.kill('SIGKILL');
      await closed;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

async function waitUntilAnswering(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}\n${stderr()}`);
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status > 0 && status < 500) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${url} did not answer within 60 s\n${stderr()}`);
}

/** utime + stime, fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

function peakRssMbOf(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}
