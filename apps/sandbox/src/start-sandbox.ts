import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { SandboxOptions } from './config/sandbox-options.interface';
import { SandboxModule } from './sandbox.module';

/** A sandbox gateway listening on a real socket. */
export interface RunningSandbox {
  /** The PG host stand-in, e.g. `http://127.0.0.1:41234` (`/payment.*`, `/transaction`, `/order`, `/js/pgAsistant.js`). */
  baseUrl: string;
  /** The admin host stand-in (`/js/receipt.js`, `/receiptSearch.html`); the same server as `baseUrl`. */
  receiptBaseUrl: string;
  app: INestApplication;
  /** Stops listening, drops held connections and stops notification retries. */
  close(): Promise<void>;
}

const DEFAULT_HOST = '127.0.0.1';
const QUIET: LogLevel[] = ['error', 'warn'];
const KEEP_ALIVE_MS = 65_000;

/** Starts the sandbox gateway on `options.port` (any free port by default) and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const logger: false | LoggerService | LogLevel[] = options.logger === undefined ? QUIET : options.logger;
  const app = await NestFactory.create(SandboxModule.forRoot(options), {
    // Express's urlencoded parser cannot read EUC-KR; the sandbox reads raw bodies itself.
    bodyParser: false,
    // A held ("never answer") connection must not keep close() waiting.
    forceCloseConnections: true,
    abortOnError: false,
    logger,
  });
  const host = options.host ?? DEFAULT_HOST;
  const server = app.getHttpServer() as Server;
  // Keep idle connections as long as a production load balancer does (Node's 5 s default races a
  // client reusing a pooled connection at the same moment: a reset the client must read as "unknown").
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await app.listen(options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    receiptBaseUrl: baseUrl,
    app,
    // Test teardown may close twice; the second call waits for the first.
    close: () => (closing ??= app.close()),
  };
}
