import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../common/errors/problem';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { MetricsCredentials } from './metrics-credentials';

/**
 * With METRICS_PORT, `GET /metrics` is served by this small listener only: a port meant for the
 * scraper and not the public (a network policy, a port the load balancer does not forward), so it
 * asks for no API key; METRICS_TOKEN, when set, is still required. It binds where the main server
 * binds; 0 lets the system choose the port ({@link url} tells which).
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsListener.name);
  private server?: Server;
  private readonly credentials: MetricsCredentials;

  constructor(
    private readonly registry: Registry,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.credentials = new MetricsCredentials(config.metrics.token ? [config.metrics.token] : [], 'METRICS_TOKEN');
  }

  /** `http://127.0.0.1:<port>` while listening; undefined without METRICS_PORT. */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://127.0.0.1:${address.port}` : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics.port;
    if (port === undefined) return;
    const main = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const host = (main.address() as AddressInfo | null)?.address ?? '0.0.0.0';
    const server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`Metrics served on ${host}:${(server.address() as AddressInfo).port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    // close() ends idle keep-alive connections too (Node 19+): a scraper's open connection does not hold it.
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://metrics').pathname;
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD'))
      return answerProblem(response, new AppError(ErrorCode.NotFound, 'Only GET /metrics is served on this port'));
    const refusal = this.credentials.refusal(request.headers.authorization);
    if (refusal) return answerProblem(response, new AppError(ErrorCode.Unauthorized, refusal));
    try {
      const body = await this.registry.metrics();
      response.writeHead(200, { 'Content-Type': this.registry.contentType }).end(body);
    } catch (error) {
      this.logger.error(`Collecting metrics failed: ${error instanceof Error ? error.message : String(error)}`);
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end('Collecting metrics failed\n');
    }
  }
}

function answerProblem(response: ServerResponse, error: AppError): void {
  const problem = toProblem(error);
  response.writeHead(problem.status, { 'Content-Type': PROBLEM_CONTENT_TYPE }).end(JSON.stringify(problem));
}
