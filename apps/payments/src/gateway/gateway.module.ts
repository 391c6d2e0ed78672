import { Module } from '@nestjs/common';
import { PaystoryModule } from '@app/paystory';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PAYMENTS_DATA_SOURCE } from '../database/database.constants';
import { DatabaseModule } from '../database/database.module';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { MetricsModule } from '../metrics/metrics.module';
import { MerchantDirectory } from './merchant-directory';
import { GatewayRateLimit } from './rate-limit/gateway-rate-limit';
import { MemoryWindowCounter } from './rate-limit/memory-window-counter';
import { PostgresWindowCounter } from './rate-limit/postgres-window-counter';

/**
 * The gateway library, configured from the service's configuration, for every domain module, and
 * the merchants' gateway rate (shared through PostgreSQL; in memory on SQLite, a single instance).
 * Imported by each module that talks to the gateway.
 */
@Module({
  imports: [
    DatabaseModule,
    MetricsModule,
    PaystoryModule.forRootAsync({
      // Every exchange with the gateway is timed and counted by MetricsModule's GatewayMetrics.
      imports: [MetricsModule],
      inject: [APP_CONFIG, GatewayMetrics],
      useFactory: (config: AppConfig, metrics: GatewayMetrics) => ({
        baseUrl: config.paystory.baseUrl ?? '',
        receiptBaseUrl: config.paystory.receiptBaseUrl,
        merchants: config.paystory.merchants,
        timeoutMs: config.paystory.timeoutMs,
        charset: config.paystory.charset,
        onExchange: metrics.record,
      }),
    }),
  ],
  providers: [
    MerchantDirectory,
    {
      provide: GatewayRateLimit,
      inject: [APP_CONFIG, getDataSourceToken(PAYMENTS_DATA_SOURCE), GatewayMetrics],
      useFactory: (config: AppConfig, dataSource: DataSource, metrics: GatewayMetrics) =>
        new GatewayRateLimit(
          config.database.type === 'postgres' ? new PostgresWindowCounter(dataSource) : new MemoryWindowCounter(),
          config.paystory.merchants,
          config.paystory.rateLimitPerSecond,
          { onSlotExpired: metrics.recordExpiredSlot },
        ),
    },
  ],
  exports: [PaystoryModule, MerchantDirectory, GatewayRateLimit],
})
export class GatewayModule {}
