import { INestApplication, VersioningType } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { useRawGatewayBodies } from '../../payments/src/payments-module';
import type { HostConfig } from './config/host-config';
import { ExampleHostModule, type ExampleHostOptions } from './example-host.module';

export const GLOBAL_PREFIX = 'api';

export interface RunningExampleHost {
  app: INestApplication;
  /** The host's own URL, without the global prefix. */
  url: string;
}

/**
 * The host as main.ts and the tests start it: everything under `/api`, URI versioning with version
 * 1 for the host's own routes (PaymentsModule's routes carry their `/v1` themselves), the
 * gateway's routes keeping their raw bodies, listening on PORT.
 */
export async function startExampleHost(options: ExampleHostOptions): Promise<RunningExampleHost> {
  const app = await NestFactory.create(ExampleHostModule.forRoot(options), { logger: ['error', 'warn'] });
  app.setGlobalPrefix(GLOBAL_PREFIX);
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  useRawGatewayBodies(app, GLOBAL_PREFIX);
  app.enableShutdownHooks();
  const port = app.get(ConfigService<HostConfig, true>).get('port', { infer: true });
  await app.listen(port, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}` };
}
