import { describe, expect, it } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { AppConfig } from './app-config';
import { loadAppConfig } from './app-config';
import { APP_CONFIG } from './app-config.constants';
import { AppConfigModule } from './app-config.module';

describe(AppConfigModule.name, () => {
  it('serves the validated configuration as APP_CONFIG and through ConfigService, never the raw environment', async () => {
    const config = loadAppConfig({ PAYSTORY_TIMEOUT_MS: '2000', LOG_LEVEL: 'debug' });
    const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(config)] }).compile();
    const configService = moduleRef.get<ConfigService<AppConfig, true>>(ConfigService);

    expect(moduleRef.get(APP_CONFIG)).toBe(config);
    expect(configService.get('paystory.timeoutMs', { infer: true })).toBe(2_000);
    expect(configService.get('logging', { infer: true })).toBe(config.logging);
    // Only the configuration the service runs on: a variable of the process is not there.
    expect(configService.get('PATH' as never)).toBeUndefined();
    await moduleRef.close();
  });
});
