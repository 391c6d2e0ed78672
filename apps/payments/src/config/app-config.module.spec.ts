import { describe, expect, it } from '@jest/globals';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadAppConfig } from './app-config';
import { APP_CONFIG } from './app-config.constants';
import { AppConfigModule } from './app-config.module';

const GATEWAY = {
  PAYSTORY_BASE_URL: 'https://gateway.example',
  PAYSTORY_MID: 'mid0000001',
  PAYSTORY_MERCHANT_KEY: 'k',
};

@Module({
  providers: [{ provide: 'VARIABLES', useValue: { ...GATEWAY, PAYSTORY_TIMEOUT_MS: '2000' } }],
  exports: ['VARIABLES'],
})
class HostConfigModule {}

describe(AppConfigModule.name, () => {
  it('serves a finished configuration as APP_CONFIG, unchanged', async () => {
    const config = loadAppConfig({ ...GATEWAY, LOG_LEVEL: 'debug' });
    const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot({ config })] }).compile();

    expect(moduleRef.get(APP_CONFIG)).toBe(config);
    await moduleRef.close();
  });

  it('validates the variables a host hands over asynchronously (forRootAsync), as the boot would', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRootAsync({
          imports: [HostConfigModule],
          inject: ['VARIABLES'],
          useFactory: (env: Record<string, string>) => ({ env }),
        }),
      ],
    }).compile();

    expect(moduleRef.get(APP_CONFIG).paystory.timeoutMs).toBe(2_000);
    expect(moduleRef.get(APP_CONFIG).paystory.merchants.map((m: { mid: string }) => m.mid)).toEqual(['mid0000001']);
    await moduleRef.close();
  });

  it('refuses a mounted configuration without a gateway, naming PAYSTORY_BASE_URL', async () => {
    await expect(
      Test.createTestingModule({ imports: [AppConfigModule.forRoot({ env: {} })] }).compile(),
    ).rejects.toThrow(/PAYSTORY_BASE_URL is required when PaymentsModule is mounted/);
  });
});
