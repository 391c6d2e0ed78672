import { spawnSync } from 'node:child_process';

/**
 * Whether something listens at `url`'s host and port (`defaultPort` when it names none), asked
 * synchronously (a child process) so that a spec can choose `describe` or `describe.skip` as it loads.
 */
export function listening(url: string, defaultPort: number): boolean {
  const { hostname, port } = new URL(url);
  const probe = `require('node:net').connect(${Number(port) || defaultPort}, ${JSON.stringify(hostname)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1)).setTimeout(2000, () => process.exit(1))`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5_000 }).status === 0;
}
