import { isAxiosError } from 'axios';

/** Why an exchange with the gateway gave no usable answer. */
export type TransportFailureReason =
  'connection_refused' | 'timeout' | 'connection_reset' | 'http_status' | 'unparsable';

/** A failed exchange, described with codes and sizes only: never a body, a header or the request config. */
export interface TransportFailure {
  reason: TransportFailureReason;
  detail: string;
  httpStatus?: number;
}

/** Codes that prove the request never left this machine, so the gateway cannot have acted on it. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/**
 * Classifies a thrown transport error. Anything that is not provably "never sent" or a timeout
 * counts as a reset: the connection was open, so the gateway may have read the request.
 */
export function failureFromError(error: unknown, deadlinePassed: boolean, timeoutMs: number): TransportFailure {
  const code = errorCode(error);
  if (deadlinePassed || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return { reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
  }
  if (code !== undefined && NEVER_SENT_CODES.has(code)) {
    return { reason: 'connection_refused', detail: `connection not established (${code})` };
  }
  return {
    reason: 'connection_reset',
    detail: `connection broke before a whole answer arrived (${code ?? 'no error code'})`,
  };
}

/** Whether trying a read-only call again can help: not for 4xx answers other than 408 and 429. */
export function isTransient(failure: TransportFailure): boolean {
  if (failure.reason !== 'http_status' || failure.httpStatus === undefined) return true;
  return failure.httpStatus >= 500 || failure.httpStatus === 408 || failure.httpStatus === 429;
}

function errorCode(error: unknown): string | undefined {
  if (isAxiosError(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
