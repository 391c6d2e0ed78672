import { INestApplication, Logger, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { raw } from 'express';
import { randomBytes } from 'node:crypto';
import { RunningSandbox, SANDBOX_MERCHANTS, SandboxOptions, startSandbox } from '@app/sandbox';
import { AppModule } from './app.module';
import { publishOpenApi } from './openapi';
import { AppConfig, loadAppConfig } from './config/app-config';
import { requestCharset } from './common/validation/gateway-field-limit.decorator';

export interface RunningService {
  app: INestApplication;
  config: AppConfig;
  /** The in-process sandbox gateway, when PAYSTORY_BASE_URL is unset. */
  sandbox?: RunningSandbox;
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  logger?: false | LoggerService;
  /** Overrides for the built-in sandbox gateway (e.g. short notification retry delays in tests). */
  sandbox?: SandboxOptions;
}

/**
 * Reads and validates the configuration, starts the built-in sandbox gateway when no real one is
 * configured, and starts the HTTP server. Used by `main.ts` and by the end-to-end tests alike.
 */
export async function startService(options: StartOptions = {}): Promise<RunningService> {
  const logger = new Logger('Bootstrap');
  const config = loadAppConfig(options.env ?? process.env);
  requestCharset.current = config.paystory.charset;

  let sandbox: RunningSandbox | undefined;
  if (!config.paystory.baseUrl) {
    sandbox = await startSandbox({
      port: config.sandbox.port,
      notiAckMode: config.paystory.notiAck,
      logger: options.logger === false ? false : undefined,
      ...options.sandbox,
    });
    config.paystory.baseUrl = sandbox.baseUrl;
    config.paystory.receiptBaseUrl = sandbox.receiptBaseUrl;
    config.paystory.merchants = [
      { name: 'card', ...SANDBOX_MERCHANTS.card },
      { name: 'phone', ...SANDBOX_MERCHANTS.phone },
    ];
    logger.warn(`PAYSTORY_BASE_URL is unset: using the built-in SANDBOX gateway at ${sandbox.baseUrl}. No real money moves. Set PAYSTORY_BASE_URL for a real gateway.`);
  }
  if (config.apiKeys.length === 0) {
    config.apiKeys = [`sk_${randomBytes(24).toString('hex')}`];
    config.apiKeyGenerated = true;
  }

  // Log levels are process-wide in Nest: name them here, since the in-process sandbox asks for a quieter logger.
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: options.logger ?? ['log', 'warn', 'error'], bufferLogs: false });
  // The gateway and its auth window may post EUC-KR forms, which Express's form parser refuses: keep their raw bytes.
  app.use(['/v1/notifications', '/v1/billing-keys/auth-return'], raw({ type: () => true, limit: '64kb' }));
  app.enableShutdownHooks();
  publishOpenApi(app);
  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  // With an ephemeral port (PORT=0) the public URL is only known now; the notiUrl is built from it.
  if (!(options.env ?? process.env).PUBLIC_BASE_URL) config.publicBaseUrl = `http://localhost:${address.port}`;
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
    close: async () => {
      await app.close();
      await sandbox?.close();
    },
  };
}
