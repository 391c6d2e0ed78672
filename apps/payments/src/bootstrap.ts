import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { raw } from 'express';
import type { Server } from 'node:http';
import { RunningSandbox, SANDBOX_MERCHANTS, SandboxOptions, startSandbox } from '@app/sandbox';
import { AppModule } from './app.module';
import { LogOptions, useAppLogger } from './common/logging/log-output';
import { bindHttpServer, BoundExpressAdapter, boundPort } from './bound-http-server';
import { MetricsListener } from './metrics/metrics-listener';
import { publishOpenApi } from './openapi';
import { AppConfig, loadAppConfig } from './config/app-config';

export interface RunningService {
  app: INestApplication;
  config: AppConfig;
  /** The in-process sandbox gateway, when PAYSTORY_BASE_URL is unset. */
  sandbox?: RunningSandbox;
  url: string;
  /** Where `GET /metrics` is served when METRICS_PORT gives it a listener of its own (then not on `url`). */
  metricsUrl?: string;
  /** Drains and closes the app (docs/operations/shutdown.md), then the in-process sandbox. */
  close(): Promise<void>;
}

/** `logger` and `logDestination`: see {@link LogOptions} (default: pino to stdout, as LOG_FORMAT and LOG_LEVEL say). */
export interface StartOptions extends LogOptions {
  env?: Record<string, string | undefined>;
  /** Overrides for the built-in sandbox gateway (e.g. short notification retry delays in tests). */
  sandbox?: SandboxOptions;
}

/**
 * Validates the configuration, starts the built-in sandbox gateway when no real one is configured,
 * binds the HTTP port, and only then builds the configuration the app runs on — complete and
 * frozen — and the app. Used by `main.ts` and by the end-to-end tests alike.
 */
export async function startService(options: StartOptions = {}): Promise<RunningService> {
  const logger = new Logger('Bootstrap');
  const env = options.env ?? process.env;
  // A bad value stops the boot here, before anything is started.
  const declared = loadAppConfig(env);

  let sandbox: RunningSandbox | undefined;
  let server: Server | undefined;
  try {
    if (!declared.paystory.baseUrl) {
      sandbox = await startSandbox({
        port: declared.sandbox.port,
        notiAckMode: declared.paystory.notiAck,
        // The sandbox's merchants are set up as PAYSTORY_VAT_MODE says the merchant is.
        vatMode: declared.paystory.vatMode,
        logger: options.logger === false ? false : undefined,
        ...options.sandbox,
      });
    }
    server = await bindHttpServer(declared.port, '0.0.0.0');
    const config = loadAppConfig(env, {
      boundPort: boundPort(server),
      sandbox: sandbox && {
        baseUrl: sandbox.baseUrl,
        receiptBaseUrl: sandbox.receiptBaseUrl,
        merchants: [
          { name: 'card', ...SANDBOX_MERCHANTS.card },
          { name: 'phone', ...SANDBOX_MERCHANTS.phone },
        ],
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
      sandbox,
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
    // The gateway and its auth window may post EUC-KR forms, which Express's form parser refuses: keep their raw bytes.
    app.use(['/v1/notifications', '/v1/billing-keys/auth-return'], raw({ type: () => true, limit: '64kb' }));
    publishOpenApi(app);
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  adapter.attach();
  return app;
}
