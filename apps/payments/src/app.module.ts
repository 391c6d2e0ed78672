import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ConsoleModule } from './console/console.module';
import { ProblemFilter } from './common/errors/problem.filter';
import { LoggingModule } from './common/logging/logging.module';
import type { AppConfig } from './config/app-config';
import { HealthModule } from './health/health.module';
import { MetricsHttpModule } from './metrics/metrics-http.module';
import { PaymentsModule } from './payments-module/payments.module';

/**
 * The standalone service: a thin host of {@link PaymentsModule}, adding what a host owns — logging,
 * `@nestjs/config`, health, `/metrics`, the operations console and problem+json for every error,
 * a route it does not have included. Built from a configuration already validated and completed.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // ConfigService<AppConfig, true> serves this same configuration: it reads neither .env nor process.env.
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => config] }),
        LoggingModule,
        PaymentsModule.forRoot({ config }),
        MetricsHttpModule.forRoot(config.metrics),
        HealthModule,
        // The operations console at /console, unless CONSOLE_ENABLED=false.
        ...(config.console.enabled ? [ConsoleModule] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
