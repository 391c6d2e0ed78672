import { createInterface } from 'node:readline';
import { startSandbox } from '@app/sandbox';

/**
 * The sandbox gateway in a process of its own, for the scheduler benchmark: it keeps every request
 * and approval in memory, which is not the service's, and its CPU is counted apart. Notifications
 * are sent once and never retried (the service's notiUrl leads nowhere there). Prints
 * `ready <baseUrl>`; answers each `cpu` line on stdin with `cpu <ms used so far>`; stops when stdin closes.
 */
async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: 0, logger: false, notiRetryDelaysMs: [] });
  process.stdout.write(`ready ${sandbox.baseUrl}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'cpu') continue;
    const { user, system } = process.cpuUsage();
    process.stdout.write(`cpu ${(user + system) / 1000}\n`);
  }
  await sandbox.close();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
