import { Global, Module } from '@nestjs/common';
import { PaystoryModule } from '@app/paystory';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.constants';
import { MerchantDirectory } from './merchant-directory';

/** The gateway library, configured from the service's configuration, for every domain module. */
@Global()
@Module({
  imports: [
    PaystoryModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        baseUrl: config.paystory.baseUrl ?? '',
        receiptBaseUrl: config.paystory.receiptBaseUrl,
        merchants: config.paystory.merchants,
        timeoutMs: config.paystory.timeoutMs,
        charset: config.paystory.charset,
      }),
    }),
  ],
  providers: [MerchantDirectory],
  exports: [PaystoryModule, MerchantDirectory],
})
export class GatewayModule {}
