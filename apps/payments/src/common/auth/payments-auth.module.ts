import { DynamicModule, Global, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { PAYMENTS_AUTH_STRATEGY, type PaymentsAuthStrategy } from './auth-strategy';
import { ApiRateLimiters } from '../throttling/api-rate-limiters';

/**
 * Who may call the payments API, and how often: the strategy every API controller's
 * `PaymentsAuthGuard` asks, and the instance's one set of rate-limit counters, which its
 * `RateLimitGuard` counts in. Nest builds a controller's guards in the controller's own module, so
 * the guards themselves are no providers here.
 *
 * Global: built from PaymentsModule's arguments (the strategy), per app, and needed in every module
 * with an API controller; none could import it statically. It exports a Symbol and a class of the
 * module's own, which no host provider can clash with.
 */
@Global()
@Module({})
export class PaymentsAuthModule {
  static forStrategy(strategy: Type<PaymentsAuthStrategy>, imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: PaymentsAuthModule,
      imports,
      providers: [{ provide: PAYMENTS_AUTH_STRATEGY, useClass: strategy }, ApiRateLimiters],
      exports: [PAYMENTS_AUTH_STRATEGY, ApiRateLimiters],
    };
  }
}
