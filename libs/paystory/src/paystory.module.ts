import { randomUUID } from 'node:crypto';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { PaystoryClient } from './client/paystory.client';
import { systemClock } from './clock/clock';
import { PaystoryHttpAdapter } from './http/paystory-http.adapter';
import { PaystoryRedactor } from './redaction/paystory-redactor';
import { PaystorySettings } from './paystory-settings';
import { PAYSTORY_CLOCK } from './paystory.constants';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
  PAYSTORY_MODULE_OPTIONS,
} from './paystory.module-definition';
import { PaystorySigner } from './signer/paystory-signer';

/**
 * Holds one registration's options and their validated settings, so that the registration's own
 * HTTP client (configured from them) and its services read the same instance.
 */
@Module({})
class PaystorySettingsModule {}

/**
 * Nest merges dynamic modules whose metadata serialises alike, and it serialises a factory by its
 * source text: two `forRootAsync` calls with the same factory but other closures would share one
 * set of options. A random id per registration keeps each registration its own.
 */
const REGISTRATION_ID = Symbol('PAYSTORY_REGISTRATION_ID');

/**
 * The PAY-STORY gateway library. Each `forRoot` / `forRootAsync` registration owns its HTTP client
 * (base URL, timeout), its merchants and a redactor that knows their keys; it fails at start with
 * a message naming the option when the options are incomplete.
 *
 * Exports {@link PaystoryClient}, {@link PaystorySigner}, {@link PaystoryRedactor} and `PAYSTORY_CLOCK`
 * (the system clock; tests override the provider).
 */
@Module({})
export class PaystoryModule extends ConfigurableModuleClass {
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return withLibraryProviders(super.forRoot(options));
  }

  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withLibraryProviders(super.forRootAsync(options));
  }
}

function withLibraryProviders(definition: DynamicModule): DynamicModule {
  const settingsModule: DynamicModule = {
    module: PaystorySettingsModule,
    imports: definition.imports ?? [],
    providers: [
      { provide: REGISTRATION_ID, useValue: randomUUID() },
      ...(definition.providers ?? []),
      { provide: PaystorySettings, useFactory: PaystorySettings.from, inject: [PAYSTORY_MODULE_OPTIONS] },
    ],
    exports: [PaystorySettings],
  };
  const httpModule = HttpModule.registerAsync({
    imports: [settingsModule],
    useFactory: (settings: PaystorySettings) => ({ baseURL: settings.baseUrl, timeout: settings.timeoutMs }),
    inject: [PaystorySettings],
  });
  const providers: Provider[] = [
    { provide: PAYSTORY_CLOCK, useValue: systemClock },
    {
      provide: PaystoryRedactor,
      useFactory: (settings: PaystorySettings) => new PaystoryRedactor(settings.merchants.map((m) => m.merchantKey)),
      inject: [PaystorySettings],
    },
    PaystorySigner,
    PaystoryHttpAdapter,
    PaystoryClient,
  ];
  return {
    ...definition,
    imports: [settingsModule, httpModule],
    providers,
    exports: [PaystoryClient, PaystorySigner, PaystoryRedactor, PAYSTORY_CLOCK],
  };
}
