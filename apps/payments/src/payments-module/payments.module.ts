import { DynamicModule, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { Registry } from 'prom-client';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { BillingModule } from '../billing/billing.module';
import { ApiKeyAuthStrategy } from '../common/auth/api-key.strategy';
import { PaymentsAuthModule } from '../common/auth/payments-auth.module';
import { AppConfigModule } from '../config/app-config.module';
import {
  PAYMENTS_ASYNC_OPTIONS_TYPE,
  PAYMENTS_OPTIONS_TYPE,
  type PaymentsModuleOptions,
} from '../config/payments-module-options';
import { DatabaseModule } from '../database/database.module';
import { EventsModule } from '../events/events.module';
import { GatewayModule } from '../gateway/gateway.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PAYMENTS_METRICS_REGISTRY } from '../metrics/metrics-registry';
import { NotificationModule } from '../notification/notification.module';
import { PaymentModule } from '../payment/payment.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { RegistrationModule } from '../registration/registration.module';
import { SubscriptionModule } from '../subscription/subscription.module';
import type { PaymentsModuleExtras } from './payments-module-extras';
import { Payments } from './payments.facade';

/**
 * The payments bounded context as one module a host imports (docs/mounting.md): the REST API under
 * `/v1`, billing keys, payments, notifications, subscriptions and events, on its own named data
 * source. Nothing is registered app-wide: guards, the idempotency interceptor, the validation pipe
 * and the problem+json filter are bound to its own controllers, and the schedule and event-emitter
 * modules are registered only when the host has not (see {@link PaymentsModuleExtras}).
 */
@Module({})
export class PaymentsModule {
  static forRoot(options: typeof PAYMENTS_OPTIONS_TYPE & PaymentsModuleExtras = {}): DynamicModule {
    const { authStrategy, authImports, registerSchedule, registerEventEmitter, ...config } = options;
    return PaymentsModule.assemble(AppConfigModule.forRoot(config as PaymentsModuleOptions), {
      authStrategy,
      authImports,
      registerSchedule,
      registerEventEmitter,
    });
  }

  static forRootAsync(options: typeof PAYMENTS_ASYNC_OPTIONS_TYPE & PaymentsModuleExtras): DynamicModule {
    return PaymentsModule.assemble(AppConfigModule.forRootAsync(options), options);
  }

  private static assemble(config: DynamicModule, extras: PaymentsModuleExtras): DynamicModule {
    return {
      module: PaymentsModule,
      // Imported once, at the host's root (it owns one data source and one scheduler): its exports,
      // the facade and the metrics registry, reach every module of the host, as
      // TypeOrmModule.forRoot's do. The modules below are not global: each imports what it uses, so
      // their providers stay out of the host's reach. Only the two built from these arguments are:
      // the configuration (APP_CONFIG) and the auth strategy, which every module of the payments
      // API needs and which no statically declared module could import.
      global: true,
      imports: [
        config,
        MetricsModule,
        DatabaseModule,
        GatewayModule,
        ...(extras.registerSchedule === false ? [] : [ScheduleModule.forRoot()]),
        // Domain events reach in-process handlers by type (`payment.approved`) or pattern (`payment.*`).
        ...(extras.registerEventEmitter === false
          ? []
          : [EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' })]),
        LifecycleModule,
        ApiKeysModule,
        PaymentsAuthModule.forStrategy(extras.authStrategy ?? ApiKeyAuthStrategy, [
          ApiKeysModule,
          ...(extras.authImports ?? []),
        ]),
        IdempotencyModule,
        EventsModule,
        BillingModule,
        PaymentModule,
        NotificationModule,
        SubscriptionModule,
        ReconciliationModule,
        RegistrationModule,
      ],
      // The facade is how host code charges and cancels (docs/mounting.md "The facade"); the
      // registry is under a token of the module's own, so that it never meets a host's `Registry`.
      providers: [Payments, { provide: PAYMENTS_METRICS_REGISTRY, useExisting: Registry }],
      exports: [Payments, PAYMENTS_METRICS_REGISTRY],
    };
  }
}
