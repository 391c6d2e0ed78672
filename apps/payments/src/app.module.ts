import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { BillingModule } from './billing/billing.module';
import { ConsoleModule } from './console/console.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { ProblemFilter } from './common/errors/problem.filter';
import { LoggingModule } from './common/logging/logging.module';
import { RateLimitGuard } from './common/throttling/rate-limit.guard';
import { createValidationPipe } from './common/validation/validation-pipe';
import type { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { MetricsModule } from './metrics/metrics.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { NotificationModule } from './notification/notification.module';
import { PaymentModule } from './payment/payment.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { RegistrationModule } from './registration/registration.module';
import { SubscriptionModule } from './subscription/subscription.module';

/** The payments service. Built from a configuration already validated (and, for the sandbox, resolved). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        MetricsModule.forRoot(config.metrics),
        LoggingModule,
        DatabaseModule,
        GatewayModule,
        ScheduleModule.forRoot(),
        LifecycleModule,
        // Domain events reach in-process handlers by type (`payment.approved`) or pattern (`payment.*`).
        EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
        IdempotencyModule,
        EventsModule,
        BillingModule,
        PaymentModule,
        NotificationModule,
        SubscriptionModule,
        ReconciliationModule,
        RegistrationModule,
        HealthModule,
        // The operations console at /console, unless CONSOLE_ENABLED=false.
        ...(config.console.enabled ? [ConsoleModule] : []),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: () => createValidationPipe(config.paystory.charset) },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        // Global guards run in this order: the rate limit counts per key the ApiKeyGuard has checked.
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
