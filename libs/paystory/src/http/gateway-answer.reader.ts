import { decode, PaystoryCharset, parseCharset } from '../charset/charset';
import { EndpointKey } from '../endpoints/endpoint-catalogue';
import { GatewayAnswer } from './gateway-answer';
import { TransportFailure } from './transport-failure';

/** What arrived over HTTP, before any interpretation. */
export interface ReceivedResponse {
  status: number;
  contentType: string | undefined;
  bytes: Buffer;
}

/**
 * Turns a received response into an answer, or into a failure when it is not one: a non-2xx
 * status, or a body that is not a JSON object carrying `resultCd`. Unknown fields are kept
 * (§1.2.3); the charset is the response's own, else the request's.
 */
export function readGatewayAnswer(
  endpoint: EndpointKey,
  received: ReceivedResponse,
  requestCharset: PaystoryCharset,
): GatewayAnswer | TransportFailure {
  if (received.status < 200 || received.status > 299) {
    return { reason: 'http_status', httpStatus: received.status, detail: `HTTP ${received.status}` };
  }
  const charset = parseCharset(/charset\s*=\s*"?([^";]+)/i.exec(received.contentType ?? '')?.[1], requestCharset);
  const body = decode(received.bytes, charset);
  const fields = parseJsonObject(body);
  if (!fields) {
    return {
      reason: 'unparsable',
      httpStatus: received.status,
      detail: `HTTP ${received.status} with a body that is not a JSON object (${received.bytes.length} bytes)`,
    };
  }
  if (typeof fields.resultCd !== 'string' && typeof fields.resultCd !== 'number') {
    return {
      reason: 'unparsable',
      httpStatus: received.status,
      detail: `HTTP ${received.status} with an answer that carries no resultCd`,
    };
  }
  return { endpoint, httpStatus: received.status, fields, body, charset };
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.replace(/^\uFEFF/, '').trim());
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
