import { Logger } from '@nestjs/common';

/** Time on top of the gateway timeout for the last database writes and closing the broker and database. */
export const SHUTDOWN_MARGIN_MS = 5_000;

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What the signals close: the running service (`RunningService` of bootstrap.ts). */
export interface Closable {
  close(): Promise<void>;
}

/**
 * SIGTERM or SIGINT closes the service gracefully (ShutdownService, then Nest's hooks) and exits
 * 0. Every gateway call in flight ends within `gatewayTimeoutMs`, so the shutdown is bounded by it
 * plus {@link SHUTDOWN_MARGIN_MS}; when the bound runs out, a second signal comes, or closing
 * fails, the process exits 1 at once: whatever is left unknown stays for the resolver, and claims
 * and keys for their leases to run out.
 */
export function exitOnShutdownSignals(service: Closable, gatewayTimeoutMs: number): void {
  const logger = new Logger('Shutdown');
  const boundMs = gatewayTimeoutMs + SHUTDOWN_MARGIN_MS;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.error(`${signal} again while shutting down: exiting now, without waiting for what is in flight`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal} received: shutting down within ${boundMs} ms`);
    setTimeout(() => {
      logger.error(`Shutdown not finished within ${boundMs} ms: exiting now, without waiting for what is in flight`);
      process.exit(1);
    }, boundMs);
    service.close().then(
      () => {
        logger.log('Shut down');
        process.exit(0);
      },
      (error: Error) => {
        logger.error(`Shutdown failed: ${error.name}: ${error.message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
