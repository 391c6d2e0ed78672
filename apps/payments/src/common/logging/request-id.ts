import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { PaystoryRedactor } from '@app/paystory';

/** The header a request id comes in and goes back out in. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * A caller's (or a proxy's) own id is kept when it is a short token of safe characters: it lands on
 * every log line and in a response header, so anything longer or stranger is replaced.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const redactor = new PaystoryRedactor([]);

/**
 * pino-http's `genReqId`: the incoming `X-Request-Id` when it is safe, else a new UUID; echoed in
 * the response's `X-Request-Id`. An id shaped like a card number is replaced too: it would be logged.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers[REQUEST_ID_HEADER.toLowerCase()];
  const id = typeof incoming === 'string' && isSafeRequestId(incoming) ? incoming : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

export function isSafeRequestId(id: string): boolean {
  return SAFE_REQUEST_ID.test(id) && redactor.text(id) === id;
}

/** The id {@link assignRequestId} gave this request, if the logging middleware has seen it. */
export function requestIdOf(request: IncomingMessage): string | undefined {
  return typeof request.id === 'string' ? request.id : undefined;
}
