import { join } from 'node:path';
import { exited, spawnTs } from '../../support/processes';
import type { Load, LoadOutcome } from './load-process';
import { track } from './node-process';

/** Runs one load in a fresh `load-process.ts` and returns what it measured. */
export async function runLoad(load: Load): Promise<LoadOutcome> {
  const child = track(spawnTs(join(__dirname, 'load-process.ts'), [], ['pipe', 'pipe', 'inherit']));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stdin!.end(JSON.stringify(load));
  const code = await exited(child);
  if (code !== 0) throw new Error(`the load generator exited with ${code}`);
  return JSON.parse(output) as LoadOutcome;
}
