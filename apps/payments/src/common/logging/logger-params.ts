import type { Request, Response } from 'express';
import type { Params } from 'nestjs-pino';
import type { Level, Logger as PinoRoot } from 'pino';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';
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
 */
export function requestLogger(root: PinoRoot): HttpLogger<Request, Response> {
  return pinoHttp<Request, Response>({
    ...REQUEST_CONTEXT,
    logger: root,
    customLogLevel: (req, res, error): Level =>
      error || res.statusCode >= 500 ? 'error' : PROBE_PATHS.test(pathOf(req.url)) ? 'debug' : 'info',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, _res, value: object) => ({ ...value, route: matchedRoute(req) }),
    customErrorObject: (req, _res, _error, value: { res: Response; responseTime: number }) => ({
      res: value.res,
      responseTime: value.responseTime,
      route: matchedRoute(req),
    }),
  });
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
