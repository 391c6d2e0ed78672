import { spawn, type ChildProcess } from 'node:child_process';
import { apiCaller, TEST_API_KEY, type ServiceCaller } from './api-client';
import { tsNodeArgs } from './ts-node-args';

/** The service running in a child process, as in production: `main.ts`, configured by its environment. */
export interface ServiceProcess extends ServiceCaller {
  url: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL: the process dies at once, whatever it was doing. */
  kill(): Promise<void>;
  /** Sends `signal` (SIGTERM, SIGINT: a graceful shutdown); {@link exited} tells how it ended. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves once the process has exited, with its exit code or the signal that ended it. */
  exited(): Promise<ProcessExit>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** `Date.now()` when the exit was seen. */
  at: number;
}

/** ts-node compiles the app at start: a few seconds on a quiet machine, far more on a busy one. */
const STARTUP_TIMEOUT_MS = 60_000;
// The line is JSON when stdout is not a terminal: the URL ends at the closing quote.
const LISTENING = /Payments service listening on (http:\/\/[^\s"]+)/;

/**
 * Starts `apps/payments/src/main.ts` with ts-node (transpile only, so it starts in a few seconds)
 * and resolves once it listens. `env` is its whole configuration on top of this process's
 * environment; give it `PAYSTORY_BASE_URL` so that it logs at the default levels.
 */
export function spawnService(
  env: Record<string, string>,
  startupTimeoutMs = STARTUP_TIMEOUT_MS,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, tsNodeArgs('apps/payments/src/main.ts'), {
    cwd: process.cwd(),
    // Jest's --experimental-vm-modules is not for the child.
    env: {
      ...process.env,
      NODE_OPTIONS: undefined,
      TS_NODE_PROJECT: 'tsconfig.json',
      NO_COLOR: '1',
      API_KEYS: TEST_API_KEY,
      PORT: '0',
      // Tests send bursts of charges: the merchant's gateway rate is not what they measure, unless they set it.
      PAYSTORY_RATE_LIMIT: '10000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`The service did not start within ${startupTimeoutMs} ms:\n${output}`)),
      startupTimeoutMs,
    );
    const onExit = (code: number | null) =>
      fail(new Error(`The service exited (${code}) before it listened:\n${output}`));
    const onData = () => {
      const url = LISTENING.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      resolve(running(child, url, () => output));
    };
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function running(child: ChildProcess, url: string, output: () => string): ServiceProcess {
  const exit = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return {
    url,
    output,
    ...apiCaller(url),
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    signal: (signal) => void child.kill(signal),
    exited: () => exit,
  };
}
