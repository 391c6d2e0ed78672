import { DynamicModule, Global, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { PAYMENTS_AUTH_STRATEGY, type PaymentsAuthStrategy } from './auth-strategy';
import { ApiRateLimiters } from '../throttling/api-rate-limiters';
import { PaymentsAuthGuard } from './payments-auth.guard';

/**
 * Who may call the payments API, and how often: the strategy every API controller's
 * {@link PaymentsAuthGuard} asks, and the instance's one set of rate-limit counters.
 */
@Global()
@Module({})
export class PaymentsAuthModule {
  static forStrategy(strategy: Type<PaymentsAuthStrategy>, imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: PaymentsAuthModule,
      imports,
      providers: [{ provide: PAYMENTS_AUTH_STRATEGY, useClass: strategy }, PaymentsAuthGuard, ApiRateLimiters],
      exports: [PAYMENTS_AUTH_STRATEGY, PaymentsAuthGuard, ApiRateLimiters],
    };
  }
}
