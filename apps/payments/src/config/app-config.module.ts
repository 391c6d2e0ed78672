import { Global, Module } from '@nestjs/common';
import { loadAppConfig, type AppConfig } from './app-config';
import { APP_CONFIG } from './app-config.constants';
import { ConfigError } from './config-error';
import {
  PAYMENTS_MODULE_OPTIONS,
  PaymentsOptionsModuleClass,
  type PaymentsModuleOptions,
} from './payments-module-options';

/**
 * Makes the configuration injectable everywhere in the payments modules as {@link APP_CONFIG}: the
 * one PaymentsModule was given, or the one its variables validate to. Built with
 * ConfigurableModuleBuilder, so `forRoot` and `forRootAsync` (useFactory, useClass, useExisting)
 * take the options as `@nestjs/typeorm` and `@nestjs/axios` take theirs.
 *
 * Global, unlike the payments modules' others: it is built from PaymentsModule's options, per app,
 * and nearly every module needs it, so none could import it statically. Its one export is a
 * Symbol of the module's own, which no host provider can clash with.
 */
@Global()
@Module({
  providers: [{ provide: APP_CONFIG, inject: [PAYMENTS_MODULE_OPTIONS], useFactory: resolveConfig }],
  exports: [APP_CONFIG],
})
export class AppConfigModule extends PaymentsOptionsModuleClass {}

function resolveConfig(options: PaymentsModuleOptions): AppConfig {
  const config = options.config ?? loadAppConfig(options.env ?? process.env);
  // The built-in sandbox is the standalone service's: a mounted module talks to a gateway it is given.
  if (!config.paystory.baseUrl)
    throw new ConfigError(
      'PAYSTORY_BASE_URL',
      'is required when PaymentsModule is mounted in a host (the standalone service starts its own sandbox; `npm run start:sandbox` starts one on its own)',
    );
  return config;
}
