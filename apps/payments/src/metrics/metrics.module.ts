import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { GatewayMetrics } from './gateway-metrics';
import { createMetricsRegistry } from './metrics-registry';

/**
 * Prometheus metrics of the payments modules (docs/operations/metrics-and-health.md). Global: any
 * module adds its metrics to the {@link Registry}. Serving them over HTTP is the host's part
 * ({@link MetricsHttpModule} in the standalone service), so a mounted module adds no route.
 */
@Global()
@Module({
  providers: [{ provide: Registry, useFactory: createMetricsRegistry }, GatewayMetrics],
  exports: [Registry, GatewayMetrics],
})
export class MetricsModule {}
