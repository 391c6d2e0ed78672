import type { INestApplication, LoggerService } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { AppConfig } from '../../config/app-config';
import { requestLogger } from './logger-params';
import { PROCESS_LOG_OUTPUT } from './process-log-output';

export interface LogOptions {
  /** `false`: nothing is logged. A Nest `LoggerService`: Nest's own log calls go to it and pino stays silent. Default: pino. */
  logger?: false | LoggerService;
  /** Where pino's JSON lines go instead of stdout, whatever LOG_FORMAT says (tests read them). */
  logDestination?: DestinationStream;
}

/**
 * Right after `NestFactory.create(…, { bufferLogs: true })`, before `init()`: the app logs as
 * configured, its buffered start-up lines included, and its requests get ids and lines.
 */
export function useAppLogger(app: INestApplication, logging: AppConfig['logging'], options: LogOptions): void {
  PROCESS_LOG_OUTPUT.switchTo(
    options.logDestination ?? (logging.format === 'pretty' ? prettyStdout() : process.stdout),
  );
  PinoLogger.root.level = options.logger === undefined ? logging.level : 'silent';
  app.use(requestLogger(PinoLogger.root));
  app.useLogger(options.logger ?? app.get(Logger));
}

/**
 * pino-pretty in this thread, line by line (no worker transport): a line written just before the
 * process exits is not lost, and the format can be a function.
 */
function prettyStdout(): DestinationStream {
  const prettify = prettyFactory({
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,requestId,req,res,route,responseTime',
    messageFormat: prettyMessage,
  });
  return { write: (line: string) => process.stdout.write(prettify(line)) };
}

/** `[Context] message (request id)`; a request's own line as `POST /v1/payments 201 12 ms`. */
function prettyMessage(log: Record<string, unknown>, messageKey: string): string {
  const req = log.req as { method?: string; path?: string } | undefined;
  const res = log.res as { statusCode?: number } | undefined;
  const text =
    req && res ? `${req.method} ${req.path} ${res.statusCode} ${String(log.responseTime)} ms` : String(log[messageKey]);
  const context = typeof log.context === 'string' ? `[${log.context}] ` : '';
  const request = typeof log.requestId === 'string' ? ` (request ${log.requestId})` : '';
  return `${context}${text}${request}`;
}
