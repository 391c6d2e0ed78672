import { HttpException, Logger } from '@nestjs/common';
import { PaystoryOutcomeUnknownError, PaystoryRequestInvalidError, PaystoryUnavailableError } from '@app/paystory';
import { randomUUID } from 'node:crypto';
import { AppError, FieldError } from './app-error';
import { databaseOutage } from './database-outage';
import { databaseUnavailableReason } from './database-unavailable';
import { ERROR_HTTP, ErrorCode } from './error-code';

/** An `application/problem+json` body (RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [member: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `Retry-After` on a 503: long enough for a database failover or restart to be noticed, short enough not to stall a client. */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const logger = new Logger('Problem');

/** Errors already logged: the idempotency layer and the exception filter both map a request's error. */
const loggedErrors = new WeakSet<object>();

/** Writes the log line of `error` unless it was written already: one failed request, one line. */
function logOnce(error: unknown, write: () => void): void {
  if (typeof error === 'object' && error !== null) {
    if (loggedErrors.has(error)) return;
    loggedErrors.add(error);
  }
  write();
}

/**
 * The single mapping from anything thrown to the problem document the client sees. Used by the
 * exception filter and by the idempotency layer (which stores error responses for replay).
 * Every problem carries a `correlationId`: the request's id (its `X-Request-Id`, on each of its log
 * lines), or a new one outside a request. Unexpected errors become a bare 500; their message is logged, not returned.
 */
export function toProblem(error: unknown, correlationId: string = randomUUID()): Problem {
  return { ...problemFor(error, correlationId), correlationId };
}

function problemFor(error: unknown, correlationId: string): Problem {
  if (error instanceof AppError) return build(error.errorCode, error.detail, error.extensions);
  if (error instanceof PaystoryRequestInvalidError) {
    const errors: FieldError[] = error.problems.map((p) => ({ field: p.field, message: p.message }));
    return build(ErrorCode.ValidationFailed, "The request does not fit the gateway's field table", { errors });
  }
  if (error instanceof PaystoryOutcomeUnknownError)
    return build(ErrorCode.GatewayTimeout, 'The gateway did not answer; the outcome is being resolved');
  if (error instanceof PaystoryUnavailableError)
    return build(ErrorCode.GatewayUnavailable, 'The gateway could not be reached; nothing was done');
  if (error instanceof HttpException) return fromHttpException(error);
  const unavailable = databaseUnavailableReason(error);
  if (unavailable) {
    logOnce(error, () => databaseOutage.refused(unavailable));
    return build(ErrorCode.ServiceUnavailable, 'The database is unavailable; retry with the same Idempotency-Key');
  }
  logOnce(error, () =>
    logger.error(
      `Unexpected error ${correlationId}: ${error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown'}`,
    ),
  );
  return build(ErrorCode.Internal, 'An unexpected error occurred');
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  // The JSON parser's message quotes the body around the fault, and a body may hold card data.
  if (error.cause instanceof SyntaxError)
    return build(ErrorCode.ValidationFailed, 'The request body is not valid JSON');
  const code =
    status === 401
      ? ErrorCode.Unauthorized
      : status === 404
        ? ErrorCode.NotFound
        : status === 503
          ? ErrorCode.ServiceUnavailable
          : status >= 500
            ? ErrorCode.Internal
            : ErrorCode.ValidationFailed;
  const response = error.getResponse();
  const detail =
    typeof response === 'string'
      ? response
      : typeof (response as { message?: unknown }).message === 'string'
        ? String((response as { message: string }).message)
        : error.message;
  return { ...build(code, detail), status };
}

function build(code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}): Problem {
  const { status, title } = ERROR_HTTP[code];
  return { type: `/problems/${code}`, title, status, detail, ...extensions };
}
