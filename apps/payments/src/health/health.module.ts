import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BrokerHealthIndicator } from './broker-health.indicator';
import { GatewayHealthIndicator } from './gateway-health.indicator';
import { HealthController } from './health.controller';
import { OperationsGauges } from './operations-gauges';

/**
 * `GET /health/live`, `GET /health/ready` (terminus), and the gauges of waiting work that
 * `GET /metrics` reports (the registry is MetricsModule's).
 */
@Module({
  imports: [TerminusModule.forRoot()],
  controllers: [HealthController],
  providers: [GatewayHealthIndicator, BrokerHealthIndicator, OperationsGauges],
})
export class HealthModule {}
