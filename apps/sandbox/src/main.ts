import { Logger } from '@nestjs/common';
import type { NotiAckMode } from './config/sandbox-options.interface';
import { startSandbox } from './start-sandbox';

/**
 * Runs the sandbox gateway on its own: `SANDBOX_PORT` (4010), `SANDBOX_NOTI_ACK` (json|http), `SANDBOX_NOTI_URL`,
 * `SANDBOX_LATENCY_MS` (0: how long every server-to-server call takes before it is processed).
 */
async function main(): Promise<void> {
  const logger = new Logger('Sandbox');
  const ack = process.env.SANDBOX_NOTI_ACK ?? 'json';
  if (ack !== 'json' && ack !== 'http') throw new Error(`SANDBOX_NOTI_ACK must be "json" or "http" (got "${ack}")`);
  const port = Number(process.env.SANDBOX_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0)
    throw new Error(`SANDBOX_PORT must be a port number (got "${process.env.SANDBOX_PORT}")`);
  const latencyMs = Number(process.env.SANDBOX_LATENCY_MS || 0);
  if (!Number.isInteger(latencyMs) || latencyMs < 0)
    throw new Error(`SANDBOX_LATENCY_MS must be a whole number of ms (got "${process.env.SANDBOX_LATENCY_MS}")`);
  const sandbox = await startSandbox({
    port,
    latencyMs,
    host: process.env.SANDBOX_HOST ?? '127.0.0.1',
    notiAckMode: ack as NotiAckMode,
    notiUrl: process.env.SANDBOX_NOTI_URL || undefined,
    logger: new Logger(),
  });
  logger.log(`PAY-STORY sandbox gateway listening at ${sandbox.baseUrl} (receipts at ${sandbox.receiptBaseUrl})`);
  const shutdown = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  new Logger('Sandbox').error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
