import { DynamicModule, Global, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { PAYMENTS_AUTH_STRATEGY, type PaymentsAuthStrategy } from './auth-strategy';
import { PaymentsAuthGuard } from './payments-auth.guard';

/** Who may call the payments API: the strategy every API controller's {@link PaymentsAuthGuard} asks. */
@Global()
@Module({})
export class PaymentsAuthModule {
  static forStrategy(strategy: Type<PaymentsAuthStrategy>, imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: PaymentsAuthModule,
      imports,
      providers: [{ provide: PAYMENTS_AUTH_STRATEGY, useClass: strategy }, PaymentsAuthGuard],
      exports: [PAYMENTS_AUTH_STRATEGY, PaymentsAuthGuard],
    };
  }
}
