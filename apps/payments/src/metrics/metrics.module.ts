import { Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { GatewayMetrics } from './gateway-metrics';
import { createMetricsRegistry } from './metrics-registry';

/**
 * Prometheus metrics of the payments modules (docs/operations/metrics-and-health.md): a module that
 * records metrics imports this one and adds them to the {@link Registry}. Not global, so that the
 * `Registry` token never meets a host's own; PaymentsModule exports it to the host as
 * `PAYMENTS_METRICS_REGISTRY`. Serving the metrics over HTTP is the host's part
 * ({@link MetricsHttpModule} in the standalone service), so a mounted module adds no route.
 */
@Module({
  providers: [{ provide: Registry, useFactory: createMetricsRegistry }, GatewayMetrics],
  exports: [Registry, GatewayMetrics],
})
export class MetricsModule {}
