import { Global, Module } from '@nestjs/common';
import { PaystoryModule } from '@app/paystory';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { MerchantDirectory } from './merchant-directory';

/** The gateway library, configured from the service's configuration, for every domain module. */
@Global()
@Module({
  imports: [
    PaystoryModule.forRootAsync({
      // GatewayMetrics is the global MetricsModule's: every exchange with the gateway is timed and counted.
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
  providers: [MerchantDirectory],
  exports: [PaystoryModule, MerchantDirectory],
})
export class GatewayModule {}
