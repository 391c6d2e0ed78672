import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentsModule } from '../../payments/src/payments-module';
import { HostSessionGuard } from './auth/host-session.guard';
import { HostUserAuthStrategy } from './auth/host-user.strategy';
import { hostConfig, type HostConfig } from './config/host-config';
import { OrderEntity } from './orders/entities/order.entity';
import { OrdersModule } from './orders/orders.module';

export interface ExampleHostOptions {
  /** The host's environment (`process.env` in main.ts); see hostConfig. */
  env: Record<string, string | undefined>;
  /**
   * How callers of the payments API (`/api/v1/payments`, …) authenticate: with API keys
   * (`PAYMENTS_API_KEYS`, PaymentsModule's default), or as the user the host's guard signed in.
   */
  paymentsAuth?: 'api-keys' | 'host-users';
}

/**
 * A host application that mounts PaymentsModule (docs/mounting.md): its own configuration, its own
 * default data source and orders, its own app-wide guard; payments on the named data source
 * `payments`, configured from the host's ConfigService.
 */
@Module({})
export class ExampleHostModule {
  static forRoot({ env, paymentsAuth = 'api-keys' }: ExampleHostOptions): DynamicModule {
    return {
      module: ExampleHostModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => hostConfig(env)],
        }),
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<HostConfig, true>) => ({
            type: 'better-sqlite3',
            database: config.get('databasePath', { infer: true }),
            entities: [OrderEntity],
            // The example's own schema; a real host runs its migrations here.
            synchronize: true,
          }),
        }),
        PaymentsModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService<HostConfig, true>) => ({ env: config.get('payments', { infer: true }) }),
          ...(paymentsAuth === 'host-users' ? { authStrategy: HostUserAuthStrategy } : {}),
        }),
        OrdersModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: HostSessionGuard }],
    };
  }
}
