import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exited, spawnTs } from '../../support/processes';
import { track } from './node-process';

/** When each charge reached the gateway stand-in and when its answer left, epoch ms. */
export interface ChargeTimes {
  arrivals: number[];
  answers: number[];
}

/** The parent's handle on `gateway-process.ts`. */
export interface Gateway {
  url: string;
  cpuMs(): Promise<number>;
  answeredCharges(): Promise<number>;
  chargeTimes(): Promise<ChargeTimes>;
  /** Forgets the charges recorded so far (after a warm-up). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGateway(latencyMs: number): Promise<Gateway> {
  const child = track(spawnTs(join(__dirname, 'gateway-process.ts'), [String(latencyMs)], ['pipe', 'pipe', 'inherit']));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  // One command at a time: each answer is the next line.
  let queue = Promise.resolve('');
  const ask = (command: string): Promise<string> =>
    (queue = queue.then(async () => {
      if (command) child.stdin!.write(`${command}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error('the gateway stand-in exited');
      return value.slice(value.indexOf(' ') + 1);
    }));
  const url = /^(http\S+)$/.exec(await ask(''))?.[1];
  if (!url) throw new Error('the gateway stand-in did not say where it listens');
  return {
    url,
    cpuMs: async () => Number(await ask('cpu')),
    answeredCharges: async () => Number(await ask('count')),
    chargeTimes: async () => JSON.parse(await ask('charges')) as ChargeTimes,
    reset: async () => void (await ask('reset')),
    stop: async () => {
      child.stdin!.end();
      await exited(child);
    },
  };
}
