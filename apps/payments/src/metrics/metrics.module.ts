import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { GatewayMetrics } from './gateway-metrics';
import { HttpRequestMetricsMiddleware } from './http-request-metrics.middleware';
import { createMetricsRegistry } from './metrics-registry';
import { MetricsController } from './metrics.controller';
import { MetricsListener } from './metrics-listener';

/**
 * Prometheus metrics (docs/operations/metrics-and-health.md). Global: any module adds its metrics to
 * the instance's {@link Registry}. `GET /metrics` is served on METRICS_PORT by a listener of its own
 * when that is set, and then not on the main port; otherwise on the main port behind a token.
 */
@Global()
@Module({})
export class MetricsModule implements NestModule {
  static forRoot(metrics: AppConfig['metrics']): DynamicModule {
    return {
      module: MetricsModule,
      controllers: metrics.port === undefined ? [MetricsController] : [],
      providers: [{ provide: Registry, useFactory: createMetricsRegistry }, GatewayMetrics, MetricsListener],
      exports: [Registry, GatewayMetrics],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpRequestMetricsMiddleware).forRoutes('*');
  }
}
