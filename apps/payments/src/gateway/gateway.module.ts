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
import { RedisWindowCounter } from './rate-limit/redis-window-counter';
import { WINDOW_COUNTER, type WindowCounter } from './rate-limit/window-counter';

/**
 * The gateway library, configured from the service's configuration, for every domain module, and
 * the merchants' gateway rate (shared through PostgreSQL, or Redis when PAYSTORY_RATE_LIMIT_REDIS_URL
 * names one; in memory on SQLite, a single instance).
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
      // A provider of its own, so that Nest closes Redis's connection at shutdown.
      provide: WINDOW_COUNTER,
      inject: [APP_CONFIG, getDataSourceToken(PAYMENTS_DATA_SOURCE)],
      useFactory: (config: AppConfig, dataSource: DataSource): WindowCounter =>
        config.paystory.rateLimitRedisUrl
          ? new RedisWindowCounter(config.paystory.rateLimitRedisUrl)
          : config.database.type === 'postgres'
            ? new PostgresWindowCounter(dataSource)
            : new MemoryWindowCounter(),
    },
    {
      provide: GatewayRateLimit,
      inject: [APP_CONFIG, WINDOW_COUNTER, GatewayMetrics],
      useFactory: (config: AppConfig, counter: WindowCounter, metrics: GatewayMetrics) =>
        new GatewayRateLimit(counter, config.paystory.merchants, config.paystory.rateLimitPerSecond, {
          onSlotExpired: metrics.recordExpiredSlot,
        }),
    },
  ],
  exports: [PaystoryModule, MerchantDirectory, GatewayRateLimit, WINDOW_COUNTER],
})
export class GatewayModule {}
