import { createInterface } from 'node:readline';
import { startService } from '../../apps/payments/src/bootstrap';
import { SubscriptionBillingService } from '../../apps/payments/src/subscription/subscription-billing.service';

/**
 * One service instance in a process of its own, for tests that race instances on one database
 * (started by `scheduler-process-runner.ts`). Boots with the environment it is given, prints
 * `ready`, and for each `run <ISO time>` line on stdin runs the subscription scheduler once at that
 * time and prints `{"driven":n}` or `{"error":"…"}`. Exits when stdin closes.
 */
async function main(): Promise<void> {
  const service = await startService({ env: process.env, logger: false });
  const billing = service.app.get(SubscriptionBillingService);
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, at] = line.trim().split(' ');
    if (command !== 'run') continue;
    try {
      process.stdout.write(`${JSON.stringify({ driven: await billing.runDue(new Date(at)) })}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: `${(error as Error).name}: ${(error as Error).message}` })}\n`);
    }
  }
  await service.close();
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
