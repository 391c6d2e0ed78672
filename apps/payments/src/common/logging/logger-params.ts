import type { Request, RequestHandler, Response } from 'express';
import type { Params } from 'nestjs-pino';
import type { Level, Logger as PinoRoot } from 'pino';
import type { Options } from 'pino-http';
import { matchedRoute } from '../http/matched-route';
import { redactLogLine } from './log-redaction';
import { PROCESS_LOG_OUTPUT } from './process-log-output';
import { assignRequestId } from './request-id';

/** Health probes and scrapes come every few seconds: their request lines are debug, not info. */
const PROBE_PATHS = /^\/(health|metrics)(\/|$)/;

/**
 * How every logger of a request is built: lines logged while it is handled carry only its
 * `requestId`; a request's own line carries method, path without the query string and status, never
 * headers, query or body (API keys, billing keys, card data).
 */
const REQUEST_CONTEXT: Options<Request, Response> = {
  genReqId: assignRequestId,
  customAttributeKeys: { reqId: 'requestId' },
  quietReqLogger: true,
  serializers: {
    req: (req: { method: string; url: string }) => ({ method: req.method, path: pathOf(req.url) }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
};

/**
 * nestjs-pino's settings: the process's pino logger (which Nest's `Logger` calls reach) and the
 * request context it binds to them. Its own request lines are off: {@link requestLogger} writes them.
 * Every line of this logger and its children passes {@link redactLogLine}: secret fields are redacted anywhere.
 */
export function loggerParams(): Params<Request, Response> {
  return {
    pinoHttp: [{ ...REQUEST_CONTEXT, autoLogging: false, hooks: { streamWrite: redactLogLine } }, PROCESS_LOG_OUTPUT],
  };
}

/**
 * The middleware that gives each request its id and writes its line ("request completed" / "request
 * failed", with route and duration). Mounted ahead of Nest's body parsers, which nestjs-pino's own
 * middleware comes after: a body that is not JSON gets its id and its line too. Errors are logged where
 * they are handled, already redacted, not here: a raw error can hold a gateway request with the merchant key.
 *
 * The line pino-http wrote, built by hand: a second pino-http made two child loggers per request and
 * serialised the request up front, for one line at the end. Its fields are built here already
 * serialised, so the line's logger passes them as they are (and redacts them as every line).
 */
export function requestLogger(root: PinoRoot): RequestHandler {
  const lines = root.child({}, { serializers: { req: asIs, res: asIs } });
  return (req, res, next) => {
    const requestId = (req.id ??= assignRequestId(req, res)) as string;
    const started = Date.now();
    const done = (error?: Error): void => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      res.removeListener('error', done);
      writeRequestLine(lines, req, res, requestId, Date.now() - started, error);
    };
    res.on('finish', done);
    res.on('close', done);
    res.on('error', done);
    next();
  };
}

/** As pino-http wrote it: `requestId`, `req`, then `res`, `responseTime` and `route`; error above 499 or on a failure. */
function writeRequestLine(
  lines: PinoRoot,
  req: Request,
  res: Response,
  requestId: string,
  responseTime: number,
  error: Error | undefined,
): void {
  const failed = !!error || res.statusCode >= 500;
  const level: Level = failed ? 'error' : PROBE_PATHS.test(pathOf(req.url)) ? 'debug' : 'info';
  if (!lines.isLevelEnabled(level)) return;
  const line = {
    requestId,
    req: { method: req.method, path: pathOf(req.originalUrl || req.url) },
    res: { statusCode: res.statusCode },
    responseTime,
    route: matchedRoute(req),
  };
  lines[level](line, failed ? 'request failed' : 'request completed');
}

function asIs<T>(value: T): T {
  return value;
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
