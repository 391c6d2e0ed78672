import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventsModule } from '../events/events.module';
import { GatewayModule } from '../gateway/gateway.module';
import { MetricsModule } from '../metrics/metrics.module';
import { BrokerHealthIndicator } from './broker-health.indicator';
import { GatewayHealthIndicator } from './gateway-health.indicator';
import { HealthController } from './health.controller';
import { OperationsGauges } from './operations-gauges';
import { RateStoreHealthIndicator } from './rate-store-health.indicator';

/**
 * `GET /health/live`, `GET /health/ready` (terminus), and the gauges of waiting work that
 * `GET /metrics` reports (the registry is MetricsModule's; the broker's state, the outbox relay's).
 */
@Module({
  imports: [TerminusModule.forRoot(), MetricsModule, EventsModule, GatewayModule],
  controllers: [HealthController],
  providers: [GatewayHealthIndicator, BrokerHealthIndicator, RateStoreHealthIndicator, OperationsGauges],
})
export class HealthModule {}
