import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';
import { matchedRoute } from '../common/http/matched-route';

/** The route label of a request no route matched (404s, probes of random paths): one series, whatever the path. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * `paystory_http_request_duration_seconds` by route template (`/v1/payments/:id`, never the id
 * itself, so the series stay few), method and status. Timed from when the request reaches Nest's
 * middleware to when the last byte of the answer is handed to the socket.
 */
@Injectable()
export class HttpRequestMetricsMiddleware implements NestMiddleware {
  private readonly duration: Histogram<'route' | 'method' | 'status'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'paystory_http_request_duration_seconds',
      help: 'HTTP requests to this service by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.duration.startTimer();
    response.once('finish', () => {
      stop({
        route: matchedRoute(request) ?? UNMATCHED_ROUTE,
        method: request.method,
        status: String(response.statusCode),
      });
    });
    next();
  }
}
