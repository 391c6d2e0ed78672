import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { startSandbox } from '@app/sandbox';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';

/**
 * The gateway stand-in of the ratio benchmarks, in a process of its own: the sandbox with every
 * server-to-server call taking `latencyMs` (first argument), and a record of when each charge
 * arrived and when its answer left (epoch ms), read at the stand-in as issue 17 asks. Prints
 * `ready <baseUrl>`; answers on stdin: `cpu` → `cpu <ms>`, `count` → `count <answered charges>`,
 * `charges` → `charges <JSON {arrivals, answers}>`, `reset` → `reset`. Stops when stdin closes.
 */
async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? 0);
  const sandbox = await startSandbox({ port: 0, logger: false, latencyMs, notiRetryDelaysMs: [] });
  let arrivals: number[] = [];
  let answers: number[] = [];
  (sandbox.app.getHttpServer() as Server).on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !req.url?.startsWith(ENDPOINTS.charge.path)) return;
    arrivals.push(Date.now());
    res.once('finish', () => answers.push(Date.now()));
  });
  process.stdout.write(`ready ${sandbox.baseUrl}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    const command = line.trim();
    if (command === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`cpu ${(user + system) / 1000}\n`);
    } else if (command === 'count') process.stdout.write(`count ${answers.length}\n`);
    else if (command === 'charges') process.stdout.write(`charges ${JSON.stringify({ arrivals, answers })}\n`);
    else if (command === 'reset') {
      arrivals = [];
      answers = [];
      process.stdout.write('reset\n');
    }
  }
  await sandbox.close();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
