import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExpressAdapter } from '@nestjs/platform-express';
import { AppError } from './common/errors/app-error';
import { ErrorCode } from './common/errors/error-code';
import { PROBLEM_CONTENT_TYPE, toProblem } from './common/errors/problem';

/** `Retry-After` of a request refused while shutting down: by then another instance takes it. */
const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 1;

/**
 * How long an idle keep-alive connection stays open: longer than the 60 s idle timeout of common
 * load balancers, and than a client's own (which follows the `Keep-Alive: timeout` this sends,
 * less a margin). With Node's 5 s, a client reusing a connection while a busy server closes it
 * gets a reset instead of an answer.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * An HTTP server listening before the app is built, so that the port the system chooses for
 * PORT=0 is in the configuration the app is built from (publicBaseUrl, hence notiUrl and
 * returnUrl). It answers 503 until {@link BoundExpressAdapter.attach} hands it to the app.
 */
export async function bindHttpServer(port: number, host: string): Promise<Server> {
  const server = createServer(answerStarting);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node requires the headers timeout to outlast the keep-alive timeout.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/**
 * Express for a Nest app on a server that already listens: give it to NestFactory.create, and
 * `attach()` once the app is initialised. It counts the requests in flight, so that a shutdown can
 * stop taking new ones and still answer those it took ({@link stopIntake}, {@link drained}).
 */
export class BoundExpressAdapter extends ExpressAdapter {
  private readonly inFlight = new Set<ServerResponse>();
  private idle: Promise<void> = Promise.resolve();
  private markIdle = (): void => undefined;
  private closed?: Promise<void>;

  constructor(private readonly bound: Server) {
    super();
  }

  override initHttpServer(): void {
    this.setHttpServer(this.bound);
  }

  /** From now on the app answers the server's requests. */
  attach(): void {
    this.bound.off('request', answerStarting);
    this.bound.on('request', this.serve);
  }

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * No new connection is accepted and idle kept-alive ones are closed; a request that still comes
   * on an open connection is answered 503 and its connection closed; the requests in flight get
   * their answers, each closing its connection after it.
   */
  stopIntake(): void {
    if (this.closed) return;
    this.closed = new Promise((resolve) => this.bound.close(() => resolve()));
    this.bound.closeIdleConnections();
    for (const response of this.inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
  }

  /** Resolves once no request is in flight. */
  drained(): Promise<void> {
    return this.idle;
  }

  /** Nest's last step with the server: whatever connection is still open goes, and the server is closed. */
  override async close(): Promise<void> {
    this.stopIntake();
    this.bound.closeAllConnections();
    await this.closed;
  }

  private readonly serve = (request: IncomingMessage, response: ServerResponse): void => {
    if (this.closed) return answerShuttingDown(response);
    if (this.inFlight.size === 0) this.idle = new Promise((resolve) => (this.markIdle = resolve));
    this.inFlight.add(response);
    response.once('close', () => {
      this.inFlight.delete(response);
      if (this.inFlight.size === 0) this.markIdle();
    });
    (this.getInstance() as (request: IncomingMessage, response: ServerResponse) => void)(request, response);
  };
}

function answerStarting(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(503, { 'Retry-After': '1', 'Content-Length': '0' }).end();
}

function answerShuttingDown(response: ServerResponse): void {
  const problem = toProblem(
    new AppError(ErrorCode.ServiceUnavailable, 'The service is shutting down; send the request again'),
  );
  response
    .writeHead(problem.status, {
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'Retry-After': String(SHUTTING_DOWN_RETRY_AFTER_SECONDS),
      Connection: 'close',
    })
    .end(JSON.stringify(problem));
}
