import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/** `--name=value` from the command line, else `fallback`. */
export function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

/**
 * Runs a TypeScript entry in a child Node process with this process's own flags (ts-node,
 * tsconfig-paths, --expose-gc), so a child starts exactly as the runner was started.
 */
export function spawnTs(entry: string, args: string[], stdio: StdioOptions): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, entry, ...args], { stdio });
}

/** Resolves with the child's exit code once it has exited and its output is all read. */
export function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
