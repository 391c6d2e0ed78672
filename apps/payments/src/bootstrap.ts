import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import type { PaystoryMerchant } from '@app/paystory';
import { AppModule } from './app.module';
import { LogOptions, useAppLogger } from './common/logging/log-output';
import { bindHttpServer, BoundExpressAdapter, boundPort } from './bound-http-server';
import { MetricsListener } from './metrics/metrics-listener';
import { publishOpenApi } from './openapi';
import { useRawGatewayBodies } from './payments-module/raw-gateway-bodies';
import { AppConfig, loadAppConfig } from './config/app-config';
import { ConfigError } from './config/config-error';

export interface RunningService {
  app: INestApplication;
  config: AppConfig;
  /** The gateway started with the service (the sandbox, in a local run), when PAYSTORY_BASE_URL is unset. */
  localGateway?: LocalGateway;
  url: string;
  /** Where `GET /metrics` is served when METRICS_PORT gives it a listener of its own (then not on `url`). */
  metricsUrl?: string;
  /** Drains and closes the app (docs/operations/shutdown.md), then the local gateway. */
  close(): Promise<void>;
}

/** `logger` and `logDestination`: see {@link LogOptions} (default: pino to stdout, as LOG_FORMAT and LOG_LEVEL say). */
export interface StartOptions extends LogOptions {
  env?: Record<string, string | undefined>;
  /**
   * Starts a gateway with the service when PAYSTORY_BASE_URL is unset: the sandbox, which only the
   * local entry (apps/local) passes, so that it is no part of the service's production build.
   */
  startLocalGateway?: (declared: AppConfig) => Promise<LocalGateway>;
}

/** A gateway running next to the service in this process (the sandbox), and the merchants it knows. */
export interface LocalGateway {
  baseUrl: string;
  receiptBaseUrl: string;
  merchants: readonly PaystoryMerchant[];
  close(): Promise<void>;
}

/**
 * Validates the configuration, starts the local gateway (the sandbox) when no real one is configured,
 * binds the HTTP port, and only then builds the configuration the app runs on — complete and
 * frozen — and the app. Used by `main.ts` and by the end-to-end tests alike.
 */
export async function startService(options: StartOptions = {}): Promise<RunningService> {
  const logger = new Logger('Bootstrap');
  const env = options.env ?? process.env;
  // A bad value stops the boot here, before anything is started.
  const declared = loadAppConfig(env);

  if (!declared.paystory.baseUrl && !options.startLocalGateway)
    throw new ConfigError(
      'PAYSTORY_BASE_URL',
      'is required: this build has no sandbox gateway (`npm start` runs the service with one, for a local try)',
    );
  let sandbox: LocalGateway | undefined;
  let server: Server | undefined;
  try {
    if (!declared.paystory.baseUrl) sandbox = await options.startLocalGateway?.(declared);
    server = await bindHttpServer(declared.port, '0.0.0.0');
    const config = loadAppConfig(env, {
      boundPort: boundPort(server),
      sandbox: sandbox && {
        baseUrl: sandbox.baseUrl,
        receiptBaseUrl: sandbox.receiptBaseUrl,
        merchants: sandbox.merchants,
      },
    });
    const app = await startApp(config, server, options);
    // Logged once the app's logger is in place, so that it is a pino line like the rest.
    if (sandbox) {
      logger.warn(
        `PAYSTORY_BASE_URL is unset: using the built-in SANDBOX gateway at ${sandbox.baseUrl}. No real money moves. Set PAYSTORY_BASE_URL for a real gateway.`,
      );
    }
    const url = `http://127.0.0.1:${config.port}`;
    if (config.apiKeyGenerated) {
      // Printed once, on purpose: the operator needs it to call the API. Set API_KEYS to choose your own.
      logger.warn(`API_KEYS is unset: generated API key for this run: ${config.apiKeys[0]}`);
    }
    logger.log(`Payments service listening on ${url}`);
    return {
      app,
      config,
      localGateway: sandbox,
      url,
      metricsUrl: app.get(MetricsListener).url,
      close: async () => {
        await app.close();
        await sandbox?.close();
      },
    };
  } catch (error) {
    await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(undefined)));
    await sandbox?.close();
    throw error;
  }
}

/** Builds the app from the finished configuration and hands it the already listening server. */
async function startApp(config: AppConfig, server: Server, logOptions: LogOptions): Promise<INestApplication> {
  const adapter = new BoundExpressAdapter(server);
  // Nest's start-up lines wait for the app's own logger (pino, docs/operations/logs.md).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  useAppLogger(app, config.logging, logOptions);
  try {
    // TRUST_PROXY: which proxies' X-Forwarded-For Express believes for request.ip (false: the socket's address).
    app.set('trust proxy', config.http.trustProxy);
    useRawGatewayBodies(app);
    publishOpenApi(app);
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  adapter.attach();
  return app;
}
