import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AppConfig } from './app-config';

/**
 * How PaymentsModule is configured: by the variables of CONTRACT.md "Configuration" (validated as
 * at the standalone service's boot), or by a configuration already loaded with `loadAppConfig`.
 */
export interface PaymentsModuleOptions {
  /** Variables by their documented names (`PAYSTORY_BASE_URL`, `DATABASE_URL`, …); default `process.env`. */
  env?: Record<string, string | undefined>;
  /** A finished configuration (`loadAppConfig`); wins over `env`. The standalone service passes this. */
  config?: AppConfig;
}

export const {
  ConfigurableModuleClass: PaymentsOptionsModuleClass,
  MODULE_OPTIONS_TOKEN: PAYMENTS_MODULE_OPTIONS,
  OPTIONS_TYPE: PAYMENTS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: PAYMENTS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PaymentsModuleOptions>().setClassMethodName('forRoot').build();
