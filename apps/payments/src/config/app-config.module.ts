import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { AppConfig } from './app-config';
import { APP_CONFIG } from './app-config.constants';

/**
 * Makes the configuration validated at boot injectable everywhere: as {@link APP_CONFIG}, and through
 * `@nestjs/config`'s `ConfigService<AppConfig, true>` (`config.get('paystory.timeoutMs', { infer: true })`).
 * The environment was read and validated before Nest started (`loadAppConfig`), so `ConfigService`
 * reads neither a `.env` file nor `process.env`: only this configuration, the same the service runs on.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [() => config] })],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG, ConfigModule],
    };
  }
}
