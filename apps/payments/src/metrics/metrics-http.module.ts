import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { HttpRequestMetricsMiddleware } from './http-request-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { MetricsListener } from './metrics-listener';
import { MetricsModule } from './metrics.module';

/**
 * The standalone service's `GET /metrics` and its per-request HTTP metrics: on METRICS_PORT by a
 * listener of its own when that is set, and then not on the main port; otherwise on the main port
 * behind a token. Every route of the app is counted.
 */
@Module({})
export class MetricsHttpModule implements NestModule {
  static forRoot(metrics: AppConfig['metrics']): DynamicModule {
    return {
      module: MetricsHttpModule,
      // The registry of PaymentsModule's metrics, to which the HTTP metrics are added.
      imports: [MetricsModule],
      controllers: metrics.port === undefined ? [MetricsController] : [],
      providers: [MetricsListener],
      exports: [MetricsListener],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpRequestMetricsMiddleware).forRoutes('*');
  }
}
