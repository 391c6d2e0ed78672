import { ResultCategory } from '../catalogue/result-category';
import { describeResult } from '../catalogue/result-codes';
import { EndpointKey, ENDPOINTS } from '../endpoints/endpoint-catalogue';
import { GatewayAnswer } from './gateway-answer';
import { TransportFailure, TransportFailureReason } from './transport-failure';

/**
 * How one exchange with the gateway ended: the result-code catalogue's category of the answer, read
 * as the client reads it (a success code that is not the endpoint's is `unknown`); or, when no usable
 * answer came, `timeout`, `unreachable` (the request never left this machine), or `unknown` for
 * anything else (a connection reset, an HTTP error status, an unreadable body).
 */
export type GatewayExchangeOutcome = ResultCategory | 'timeout' | 'unreachable';

/**
 * One HTTP exchange with the gateway, as an {@link GatewayExchangeObserver} sees it: names, codes
 * and a duration only, never a field value. A read-only call retried after a failure is several exchanges.
 */
export interface GatewayExchange {
  endpoint: EndpointKey;
  /** From sending the request to having the whole answer (or giving up), in milliseconds. */
  durationMs: number;
  outcome: GatewayExchangeOutcome;
  /** The answer's `resultCd`, when an answer arrived. */
  resultCode?: string;
  /** Why no usable answer arrived, when none did. */
  failure?: TransportFailureReason;
  /** 1 for the first try; the query (read-only) is tried again after a transport failure. */
  attempt: number;
}

/** Told of every exchange once it is over (metrics, tracing). It must not throw; if it does, the error is logged and ignored. */
export type GatewayExchangeObserver = (exchange: GatewayExchange) => void;

/** The exchange an observer is told of, from what the adapter got back. */
export function describeExchange(
  endpoint: EndpointKey,
  result: GatewayAnswer | TransportFailure,
  durationMs: number,
  attempt: number,
): GatewayExchange {
  if ('reason' in result) {
    const outcome =
      result.reason === 'timeout' ? 'timeout' : result.reason === 'connection_refused' ? 'unreachable' : 'unknown';
    return { endpoint, durationMs, outcome, failure: result.reason, attempt };
  }
  const resultCode = String(result.fields.resultCd).trim();
  return { endpoint, durationMs, outcome: answerCategory(endpoint, resultCode), resultCode, attempt };
}

/** As the client's `outcomeOf` reads an answer: only the endpoint's own success codes are a success. */
function answerCategory(endpoint: EndpointKey, resultCode: string): ResultCategory {
  if (ENDPOINTS[endpoint].successCodes.includes(resultCode)) return 'success';
  const category = describeResult(resultCode).category;
  return category === 'success' ? 'unknown' : category;
}
